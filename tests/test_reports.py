"""PDF parsing on the real sample reports and on PDFs made here."""

import re

import pytest
from conftest import RAW
from pdf_factory import ReportWriter, image_only_pdf, plain_pdf, school_report

from orchestration.reports.pdf import ReportError, parse_pdf


@pytest.fixture(scope="module")
def xinxiang():
    return parse_pdf(RAW / "001_cbbc57b736b8bf1c.pdf")


def test_running_headers_and_page_numbers_are_dropped(xinxiang):
    texts = [b.text for b in xinxiang.blocks]
    assert xinxiang.dropped_lines >= xinxiang.page_count
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)
    # The running title appears once (the cover), not once per page.
    assert sum(t == "新乡市职业教育质量年度报告" for t in texts) <= 1


def test_cjk_spacing_is_normalised(xinxiang):
    text = "\n".join(b.text for b in xinxiang.blocks)
    assert "2022-2023学年，全市中等职业教育招生18081人" in text
    assert "2023 年" not in text


def test_sentences_are_rejoined_across_page_breaks(xinxiang):
    spanning = [b for b in xinxiang.blocks if len({p for _, p in b.page_starts}) > 1]
    assert spanning, "a paragraph that crosses a page break should be one block"
    block = next(b for b in xinxiang.blocks if "专任教师2283人" in b.text)
    assert "专任教师2283人，专任教师占教职工总数的86%" in block.text


def test_ruled_tables_keep_rows_and_columns():
    parsed = parse_pdf(RAW / "002_cdd6aeb71386346d.pdf")
    table = next(t for t in parsed.tables if any("中等职业学校招生数" in c for c in t.rows[0]))
    assert table.rows[1][:4] == ["2019年", "16974", "12799", "4175"]


def test_borderless_table_is_rebuilt_from_word_positions(tmp_path):
    path = school_report(tmp_path / "b.pdf", "获嘉县职业中等专业学校", 2024, 2100, 200, 180, 600, 98.0, 95.0, ruled=False)
    parsed = parse_pdf(path)
    table = next(t for t in parsed.tables if t.method == "borderless")
    assert ["", "其中：专任教师总数", "人", "180"] in table.rows


def test_title_comes_from_the_cover(tmp_path):
    path = ReportWriter(tmp_path / "t.pdf", "四平市中等职业教育年度质量报告（2021年）").paragraph("正文。").save()
    assert parse_pdf(path).title == "四平市中等职业教育年度质量报告（2021年）"


@pytest.mark.parametrize(
    "make, status",
    [
        (lambda p: plain_pdf(p, ["内容"], encrypt="secret"), "password_protected"),
        (lambda p: image_only_pdf(p), "no_text_layer"),
        (lambda p: p.write_bytes((RAW / "001_cbbc57b736b8bf1c.pdf").read_bytes()[:15000]) and p, "corrupt_pdf"),
    ],
)
def test_unreadable_pdfs_raise_a_specific_status(tmp_path, make, status):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(ReportError) as info:
        parse_pdf(path)
    assert info.value.status == status
    assert "bad.pdf" in info.value.message
