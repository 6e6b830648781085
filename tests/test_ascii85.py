"""reports.ascii85 decodes as pdfminer does (the same bytes, a ValueError where it raises one)."""

import base64
import random

import pytest
from pdfminer.ascii85 import ascii85decode as pdfminer_decode

from orchestration.reports.ascii85 import ascii85decode


def _same(data: bytes) -> None:
    try:
        expected = pdfminer_decode(data)
    except ValueError:
        with pytest.raises(ValueError):
            ascii85decode(data)
        return
    assert ascii85decode(data) == expected


def _samples() -> list[bytes]:
    rng = random.Random(7)
    out = []
    for size in [0, 1, 2, 3, 4, 5, 7, 8, 64, 1001]:
        raw = bytes(rng.choice([0, 0, 0, 0, rng.randrange(256)]) for _ in range(size))  # zeros make "z"
        encoded = base64.a85encode(raw)
        out += [encoded, encoded + b"~>", b"<~" + encoded + b"~>", b" ~" + encoded + b"~ \n",
                base64.a85encode(raw, wrapcol=20), base64.a85encode(raw, adobe=True)]
        out += [encoded[:cut] for cut in range(len(encoded) - 4, len(encoded)) if cut > 0]  # a short last group
    return out


@pytest.mark.parametrize("data", _samples())
def test_decodes_as_pdfminer(data):
    _same(data)


@pytest.mark.parametrize("data", [
    b"", b"z", b"zz!!", b"!z!!!!", b"!!!!!z!", b"uuuuu", b"s8W-\"", b"s8W-#", b"u", b"!!!!!u",
    b"!!\x0c!!!", b"!!\x00!!!", b"!!{!!!", b"!!y!!!", b"ab cd\te\nf\rg\vh", b"~>", b"<~~>", b"!!!~>junk",
])
def test_fails_where_pdfminer_fails(data):
    _same(data)
