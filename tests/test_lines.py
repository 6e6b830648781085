"""reports.lines.text_lines gives pdfplumber's own text lines (chars_to_textmap, extract_text_lines)
for the chars of either reader, and for the cases its one pass has to get right."""

import pdfplumber
import pytest
from conftest import RAW, REPO
from pdfplumber.utils.text import chars_to_textmap

from orchestration.reports.fast_pages import FastPageReader
from orchestration.reports.lines import text_lines
from orchestration.reports.font_descents import DeclaredDescents

PDFS = sorted(RAW.glob("*.pdf")) + sorted((REPO / "tests" / "dev_sets").glob("*/pdf/*.pdf"))[::4]


def _pdfplumber_lines(chars: list[dict]) -> list[dict]:
    if not chars:
        return []
    return chars_to_textmap(chars, layout=False).extract_text_lines(strip=True, return_chars=True)


def _assert_same(chars: list[dict]) -> None:
    assert text_lines(chars) == _pdfplumber_lines(chars)


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem[:12])
def test_same_lines_as_pdfplumber_for_both_readers(pdf):
    with pdfplumber.open(pdf) as document:
        reader, descents = FastPageReader(pdf, len(document.pages)), DeclaredDescents()
        try:
            for i, page in enumerate(document.pages):
                _assert_same(page.chars)
                fast = reader.page(i, descents.of_page(page))
                if fast is not None:
                    _assert_same(fast.chars)
        finally:
            reader.close()


def _char(text: str, x0: float, top: float, width: float = 10.0, size: float = 10.0, upright=True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "doctop": top,
            "upright": upright, "size": size}


@pytest.mark.parametrize("chars", [
    # blanks split words and belong to none; a gap over the tolerance splits, a small one does not
    [_char("在", 0, 0), _char(" ", 10, 0, 3), _char("校", 13, 0), _char("生", 25.5, 0), _char("4", 40, 0)],
    # tops chained within the tolerance make one line of chars, whose words may still part
    [_char("一", 0, 0), _char("二", 10, 2.5), _char("三", 30, 5), _char("四", 60, 7.5), _char("五", 5, 20)],
    # out of order, overlapping, a char left of the last one's start
    [_char("b", 20, 0), _char("a", 0, 0), _char("c", 15, 0), _char("d", 18, 1), _char("e", 0, 40)],
    # a ligature is one char of several letters; the char is listed once per letter
    [_char("ﬁ", 0, 0), _char("n", 10, 0), _char("e", 30, 0), _char("ﬄ", 40, 0)],
    # only blanks
    [_char(" ", 0, 0), _char("\u3000", 10, 0)],
    # equal tops and x0s
    [_char("x", 0, 0), _char("y", 0, 0), _char("z", 0, 0)],
    # pdfplumber's own path: a rotated char, a multi-letter char
    [_char("竖", 0, 0, upright=False), _char("横", 10, 0)],
    [_char("(cid:12)", 0, 0), _char("a", 10, 0)],
])
def test_same_lines_as_pdfplumber_for_edge_cases(chars):
    _assert_same(chars)
