"""Periods resolved by kind, on reports made here (made-up values and wording, real places), read
through the real parser: a period given as a range of dates, relative years in a dated document."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter

from orchestration.extraction.confidence import accepted
from orchestration.extraction.documents import report_meta
from orchestration.extraction.extract import extract_report
from orchestration.extraction.periods import body_year, period_mentions, year_mentions
from orchestration.reports.pdf import parse_pdf


def read(path):
    parsed = parse_pdf(path)
    meta = report_meta(parsed, path.name)
    return meta, {(f.entity, f.indicator, f.period_year): f.value
                  for f in accepted(extract_report(parsed, path.name, meta=meta))}


def write(path, title, paragraphs, header=None):
    writer = ReportWriter(path, title, header=header)
    for text in paragraphs:
        writer.paragraph(text)
    return writer.save()


# ---- 1. a period given as a range of dates: the end year (FACTS.md) ----

@pytest.mark.parametrize("text, year", [
    ("2022年9月1日至2023年8月31日，全校招生", 2023),
    ("2021年9月1日—2022年8月31日", 2022),
    ("2020年9月1日-2021年7月15日", 2021),
    ("2022.9.1—2023.8.31", 2023),
    ("2022-09-01至2023-08-31", 2023),
])
def test_a_range_of_dates_gives_its_end_year(text, year):
    assert [y for _, _, y in year_mentions(text)] == [year]


def test_a_stated_range_of_dates_is_the_year_the_body_describes():
    text = "本报告数据统计期间为2022年9月1日-2023年8月31日，所列数据均为该学年数据。2022年学校新增专业2个。"
    assert body_year(2024, text) == 2023


def test_a_school_report_whose_period_is_a_range_of_dates(tmp_path):
    path = write(tmp_path / "school.pdf", "醴陵市陶瓷烟花职业技术学校质量年度报告（2024年）", [
        "编制说明：报告数据统计期间为2022年9月1日—2023年8月31日，除特别说明外均为该学年数据。",
        "学校有全日制在校生2816人，全年招生934人，设有陶瓷设计与工艺等9个专业。",
        "学校现有专任教师176人，2023届毕业生903人。",
    ])
    meta, facts = read(path)
    assert (meta.subject, meta.report_year, meta.body_year) == ("醴陵市陶瓷烟花职业技术学校", 2024, 2023)
    school = meta.subject
    assert facts[(school, "students_total", 2023)] == 2816
    assert facts[(school, "enrollment_new", 2023)] == 934
    assert facts[(school, "teachers_fulltime", 2023)] == 176
    assert facts[(school, "graduates_total", 2023)] == 903
    assert {year for _, _, year in facts} == {2023}


# ---- 2. relative years in a dated document count from its date ----

def test_relative_years_count_from_a_date_when_one_is_given():
    assert [y for _, _, y in period_mentions("去年全县招生", 2021, written=2022)] == [2021]
    assert [y for _, _, y in period_mentions("今年全县招生", 2021, written=2022)] == [2022]
    assert [y for _, _, y in period_mentions("去年全县招生", 2021)] == [2020]  # undated: from the body


def test_a_dated_news_item_says_last_year_for_the_year_before_its_date(tmp_path):
    path = write(tmp_path / "news.pdf", "全县职业教育提质培优成效明显", [
        "本台讯 记者从县教育局获悉，去年以来，我县持续加大职业教育投入，办学条件明显改善。",
        "去年全县中职学校共招收新生3150人，在校生总数达8920人。全县中职毕业生2410人，就业率为96.4%。",
        "师资方面，全县中职学校现有专任教师512人。",
    ], header="新化县融媒体中心 2022-02-18")
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.written_year, meta.body_year) == ("新化县", "county", 2022, 2021)
    assert facts[("新化县", "enrollment_new", 2021)] == 3150
    assert facts[("新化县", "students_total", 2021)] == 8920
    assert facts[("新化县", "graduates_total", 2021)] == 2410
    assert facts[("新化县", "employment_rate", 2021)] == 96.4
    assert facts[("新化县", "teachers_fulltime", 2021)] == 512
    assert {year for _, _, year in facts} == {2021}


def test_a_report_titled_for_its_year_counts_relative_years_from_that_year(tmp_path):
    path = write(tmp_path / "city.pdf", "娄底市中等职业教育质量年度报告（2023年）", [
        "上一年全市中职招生9120人，今年全市中职招生9480人。",
    ], header="娄底市教育局 2024-01-30")
    meta, facts = read(path)
    assert meta.written_year is None
    assert facts[("娄底市", "enrollment_new", 2022)] == 9120
    assert facts[("娄底市", "enrollment_new", 2023)] == 9480
