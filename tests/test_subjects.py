"""A report's subject is a real entity (issue 19): a GB/T 2260 division with its code, or a school's
proper name. A phrase about schools in general (其中公办学校, 该校, 全市中职学校) never is; a report
whose subject cannot be settled waits for review and loads no facts. Real PDFs, real parser."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter, city_report, school_report

from orchestration.extraction.confidence import accepted
from orchestration.extraction.documents import report_meta
from orchestration.extraction.entities import generic_school_phrase
from orchestration.extraction.extract import extract_report
from orchestration.extraction.fact import CONFIDENCE_THRESHOLD
from orchestration.intake.inventory import inventory
from orchestration.intake.workers import process_all
from orchestration.reports.pdf import parse_pdf
from orchestration.warehouse.store import frames

NO_CITY_TITLE = "中等职业教育质量年度报告（{year}年）"
# The generator's figures, by indicator code.
CITY_FIGURES = {"schools_total": 24, "students_total": 46820, "enrollment_new": 18530,
                "graduates_total": 12680, "staff_total": 2790, "teachers_fulltime": 2350,
                "teachers_dual_qualified_share": 48.2, "employment_rate": 96.3}


def read(path):
    parsed = parse_pdf(path)
    meta = report_meta(parsed, path.name)
    return meta, extract_report(parsed, path.name, meta=meta)


@pytest.mark.parametrize("title", [None, NO_CITY_TITLE])
@pytest.mark.parametrize("break_before", [(), ("其中",), ("公办",), ("民办",), ("其中", "民办")])
def test_a_city_report_that_counts_its_public_schools_is_the_citys(tmp_path, title, break_before):
    """其中公办学校 opening a line of the cover page (where a school's name would stand) is no subject."""
    path = city_report(tmp_path / "xinxiang.pdf", "新乡市", "河南省", 2024, break_before=break_before,
                       title=title and title.format(year=2024))
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code, meta.report_year, meta.body_year) == \
        ("新乡市", "city", "410700", 2024, 2024)
    assert meta.settled and meta.review_reason == ""
    assert {(f.entity, f.entity_level, f.admin_code, f.period_year) for f in facts} == \
        {("新乡市", "city", "410700", 2024)}
    assert {f.indicator: f.value for f in accepted(facts)} == CITY_FIGURES


@pytest.mark.parametrize("city, province, year, code", [("洛阳市", "河南省", 2023, "410300"),
                                                        ("遵义市", "贵州省", 2022, "520300")])
def test_any_city_and_year(tmp_path, city, province, year, code):
    path = city_report(tmp_path / "city.pdf", city, province, year, students=40100,
                       title=NO_CITY_TITLE.format(year=year), break_before=("其中",))
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code, meta.body_year) == (city, "city", code, year)
    assert {f.indicator: f.value for f in accepted(facts)}["students_total"] == 40100


@pytest.mark.parametrize("phrase", ["其中公办学校", "公办学校", "民办学校", "该校", "本校", "全市中职学校", "全县职业学校",
                                    "另外民办学校", "其中技工学校", "技工学校", "中等职业学校", "职业中等专业学校", "职教中心",
                                    "上述学校", "新乡市公办学校", "河南省民办中职学校", "新乡市各中职学校"])
def test_generic_phrases_name_no_school(phrase):
    assert generic_school_phrase(phrase)


@pytest.mark.parametrize("name", ["获嘉县职业中等专业学校", "长垣县职业教育中心", "育才职业学校", "新乡市技工学校",
                                  "新乡市卫生学校", "江苏省射阳中等专业学校", "福州旅游职业中专学校", "乐安县职业中学",
                                  "新乡市中等职业学校"])  # a place's only school is often named so
def test_proper_school_names_are_names(name):
    assert not generic_school_phrase(name)


def generic_only(kind: str):
    """Reports whose only candidate subject is a generic phrase, and that name no place."""
    opening = "全市中等职业教育持续健康发展。"
    if kind == "line":
        return lambda p: city_report(p, "", "", 2024, title=NO_CITY_TITLE.format(year=2024), opening=opening,
                                     break_before=("其中",))
    if kind == "title":
        return lambda p: city_report(p, "", "", 2024, title="其中公办学校质量年度报告（2024年）", opening=opening)
    if kind == "no_place":  # a province's report (全省) that never names its province
        return lambda p: ReportWriter(p, NO_CITY_TITLE.format(year=2024)).paragraph(
            "全省共有中等职业学校120所，在校生15230人，招生5120人，毕业生4380人，专任教师960人。").save()
    return lambda p: school_report(p, "公办学校", 2024, 3100, 260, 210, 900, 97.1, 95.2)


@pytest.mark.parametrize("kind", ["line", "title", "school", "no_place"])
def test_a_report_whose_only_candidate_is_a_generic_phrase_waits_for_review(tmp_path, kind):
    path = generic_only(kind)(tmp_path / "unnamed.pdf")
    meta, facts = read(path)
    assert not meta.settled
    assert (meta.subject, meta.level, meta.admin_code, meta.report_year) == ("", "", "", 2024)
    assert meta.review_reason.startswith("subject not settled") and "school_aliases.csv" in meta.review_reason
    assert facts and accepted(facts) == []  # every figure waits, none under a made-up entity
    assert all(f.confidence < CONFIDENCE_THRESHOLD for f in facts)
    assert all(meta.review_reason in f.confidence_reason for f in facts)
    assert {f.entity for f in facts} == {""}


def test_an_unsettled_report_is_held_with_its_reason_and_loads_no_facts(tmp_path):
    """Through the intake: the document row keeps its reason for review; no fact reaches the build
    database, and the report beside it loads as usual."""
    raw = tmp_path / "raw"
    raw.mkdir()
    generic_only("line")(raw / "unnamed.pdf")
    city_report(raw / "xinxiang.pdf", "新乡市", "河南省", 2024, title=NO_CITY_TITLE.format(year=2024),
                break_before=("其中",))
    documents, facts = frames(process_all(inventory(raw), None, workers=1))
    rows = documents.set_index("file_name")
    held = rows.loc["unnamed.pdf"]
    assert held["status"] != "loaded" and held["subject"] == "" and held["fact_count"] == 0
    assert held["review_reason"].startswith("subject not settled")
    assert "held for review, 8 facts not loaded" in held["reason"] and held["review_reason"] in held["reason"]
    loaded = rows.loc["xinxiang.pdf"]
    assert (loaded["status"], loaded["subject"], loaded["admin_code"], loaded["review_reason"]) == \
        ("loaded", "新乡市", "410700", "")
    assert set(facts["source_file"]) == {"xinxiang.pdf"} and set(facts["entity"]) == {"新乡市"}


@pytest.mark.parametrize("title, cover, expected", [
    ("长垣县职业中等专业学校质量年度报告（2024年）", None, ("长垣县职业中等专业学校", "410728")),
    ("河南省获嘉县职业中等专业学校2024年质量年度报告", None, ("获嘉县职业中等专业学校", "410724")),
    ("2024年度质量年度报告", "原阳县职业教育中心", ("原阳县职业教育中心", "410725")),
])
def test_a_real_school_name_is_still_the_subject(tmp_path, title, cover, expected):
    writer = ReportWriter(tmp_path / "school.pdf", title)
    if cover:
        writer.paragraph(cover)
    writer.paragraph("2024年，学校共有全日制在校生3100人，其中公办学校的专业群招生1020人。"
                     "我校教职工260人，其中专任教师210人。")
    meta, facts = read(writer.save())
    name, code = expected
    assert (meta.subject, meta.level, meta.admin_code, meta.review_reason) == (name, "school", code, "")
    assert {f.entity for f in facts} == {name}


def test_a_place_and_a_kind_of_school_inside_a_report_are_the_place_not_a_school(tmp_path):
    """新乡市公办学校14所 in a province report: 新乡市's public schools, never a school named so."""
    writer = ReportWriter(tmp_path / "henan.pdf", "河南省中等职业教育质量年度报告（2024年）")
    writer.paragraph("2024年，全省共有中等职业学校420所，在校生120万人，招生40万人，毕业生35万人，专任教师6.1万人。")
    writer.paragraph("新乡市公办学校14所，在校生52310人。获嘉县职业中等专业学校在校生3100人。")
    meta, facts = read(writer.save())
    assert (meta.subject, meta.admin_code) == ("河南省", "410000")
    schools = {f.entity for f in facts if f.entity_level == "school"}
    assert schools == {"获嘉县职业中等专业学校"}
