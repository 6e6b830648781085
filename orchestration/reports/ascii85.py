"""pdfminer's ascii85decode (base64.a85decode once the <~ ~> markers are stripped), with numpy: the
same bytes, and a ValueError wherever it raises one. base64's decoder loops over the bytes in
Python, and the page-cost check decodes every content stream: on pages written ASCII85-encoded
(reportlab's default) that was a tenth of the parse."""

from __future__ import annotations

import numpy as np
from pdfminer.ascii85 import end_re, start_re

_IGNORED = b" \t\n\r\v"  # base64.a85decode's ignorechars
_POWERS = 85 ** np.arange(4, -1, -1, dtype=np.uint64)
_FIRST, _LAST = ord("!"), ord("u")


def ascii85decode(data: bytes) -> bytes:
    data = end_re.sub(b"", start_re.sub(b"", data)).translate(None, _IGNORED)
    # "z" stands for four zero bytes, and only between groups of five digits.
    segments = data.split(b"z")
    if any(len(segment) % 5 for segment in segments[:-1]):
        raise ValueError("z inside Ascii85 5-tuple")
    return b"\0\0\0\0".join(_groups(segment) for segment in segments)


def _groups(segment: bytes) -> bytes:
    """Groups of five digits to four bytes each; a last group of k < 5 digits, padded with "u", to k - 1."""
    digits = np.frombuffer(segment, dtype=np.uint8)
    if ((digits < _FIRST) | (digits > _LAST)).any():
        raise ValueError("Non-Ascii85 digit found")
    short = len(digits) % 5
    if short:
        digits = np.concatenate([digits, np.full(5 - short, _LAST, dtype=np.uint8)])
    values = (digits.reshape(-1, 5).astype(np.uint64) - _FIRST) @ _POWERS
    if (values > 0xFFFFFFFF).any():
        raise ValueError("Ascii85 overflow")
    decoded = values.astype(">u4").tobytes()
    return decoded[: len(decoded) - (5 - short)] if short else decoded
