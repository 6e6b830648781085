"""Extraction on the real sample reports, scored against the hand-labelled gold facts."""

import pytest
from conftest import GOLD, RAW
from pdf_factory import school_report

from orchestration.extraction.entities import canonical_school, locate, resolve, school_at_start
from orchestration.extraction.evaluate import evaluate_folder, totals
from orchestration.extraction.documents import report_meta
from orchestration.extraction.extract import extract_report
from orchestration.extraction.periods import body_year, year_mentions
from orchestration.extraction.units import find_quantities, to_canonical
from orchestration.reports.pdf import parse_pdf

RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.98


@pytest.fixture(scope="module")
def scores():
    return evaluate_folder(RAW, GOLD)


def test_gold_recall_and_precision(scores):
    assert len(scores) == 3
    recall, precision = totals(scores)
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f}"
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f}"


def test_each_gold_report_meets_the_recall_floor(scores):
    for s in scores:
        assert s.recall >= RECALL_FLOOR, (s.doc, [(m["indicator"], m["value"]) for m in s.misses])


@pytest.fixture(scope="module")
def all_facts():
    out = {}
    for pdf in sorted(RAW.glob("*.pdf")):
        parsed = parse_pdf(pdf)
        out[pdf.stem] = (report_meta(parsed, pdf.name), extract_report(parsed, pdf.name))
    return out


def test_every_fact_has_a_page_and_a_snippet_with_the_printed_number(all_facts):
    for meta, facts in all_facts.values():
        assert facts
        for fact in facts:
            assert fact.page >= 1
            assert fact.printed and fact.printed in fact.snippet, fact


def test_report_metadata(all_facts):
    got = {stem: (m.subject, m.level, m.admin_code, m.report_year, m.body_year) for stem, (m, _) in all_facts.items()}
    assert got["000_ad8fa0dc1b023aac"] == ("延津县职业中等专业学校", "school", "410726", 2023, 2023)
    assert got["001_cbbc57b736b8bf1c"] == ("新乡市", "city", "410700", 2023, 2023)
    assert got["002_cdd6aeb71386346d"] == ("四平市", "city", "220300", 2020, 2020)
    assert got["003_de4a2a4ac205d12a"] == ("庆阳市", "city", "621000", 2024, 2024)
    # 凉州区's 2023 report describes 2022.
    assert got["004_146eca4c6556580a"] == ("凉州区", "county", "620602", 2023, 2022)


def test_comparison_table_gives_one_fact_per_year(all_facts):
    facts = all_facts["002_cdd6aeb71386346d"][1]
    ratio = {f.period_year: f.value for f in facts if f.indicator == "student_teacher_ratio"}
    assert ratio == {2019: 15.3, 2020: 12.7}
    assert not any(f.snippet.startswith("变化幅度") for f in facts)


def test_schools_inside_area_reports_are_entities(all_facts):
    facts = all_facts["002_cdd6aeb71386346d"][1]
    schools = {f.entity for f in facts if f.entity_level == "school"}
    assert {"四平市职业技术教育中心", "双辽市职业中专", "伊通满族自治县职业技术教育中心"} <= schools
    assert all(f.admin_code.startswith("2203") for f in facts)


@pytest.mark.parametrize(
    "text, unit, canonical, value",
    [
        ("在校生4.51万人", "万人", "人", 45100),
        ("纸质图书12.23万册", "万册", "册", 122300),
        ("生均0.72万元/生", "万元/生", "元/生", 7200),
        ("就业率97.8%", "%", "%", 97.8),
        ("生师比11.49:1", ":1", "学生数/教师", 11.49),
        ("毕业生1,302人", "人", "人", 1302),
        ("在校生１２３４人", "人", "人", 1234),
    ],
)
def test_units_convert_to_the_canonical_unit(text, unit, canonical, value):
    from orchestration.reports.text import clean

    (q,) = [q for q in find_quantities(clean(text))]
    assert q.unit == unit
    assert to_canonical(q.number, q.unit, canonical) == pytest.approx(value)


def test_approximate_numbers_are_marked():
    (q,) = find_quantities("培训3000余人次")
    assert q.approximate and q.number == 3000


@pytest.mark.parametrize(
    "text, year",
    [("2022-2023学年，全市招生", 2023), ("2023年秋季学期全市招生", 2023), ("2022届毕业生", 2022), ("2023年毕业生", 2023)],
)
def test_period_expressions(text, year):
    assert year_mentions(text)[0][2] == year


def test_comparison_years_are_not_periods():
    assert year_mentions("比2022年减少182人") == []


def test_body_year_follows_what_the_report_describes():
    assert body_year(2023, "2022年，" * 10 + "2023年") == 2022
    assert body_year(2023, "2023年，" * 10 + "2022年") == 2023


def test_entities_resolve_to_admin_codes():
    assert resolve("新乡市") .admin_code == "410700"
    assert resolve("凉州区").level == "county"
    assert canonical_school("凉州区职业中专") == "凉州区职业中等专业学校"
    assert canonical_school("省理工中专") == "甘肃省理工中等专业学校"
    assert locate("西峰职专", "621000") == "621002"
    assert school_at_start("四平市中等职业学校共有教职工815人", "220300") is None
    assert school_at_start("获嘉县职业中等专业学校每年对毕业生就业情况进行跟踪", "410700").admin_code == "410724"


def test_own_reports_of_other_years_and_layouts(tmp_path):
    """A differently produced report (borderless table, another year) extracts the same way."""
    path = school_report(tmp_path / "r.pdf", "延津县职业中等专业学校", 2024, 4300, 370, 340, 1250, 97.5, 96.1, ruled=False)
    parsed = parse_pdf(path)
    facts = {(f.indicator, f.period_year): f.value for f in extract_report(parsed, path.name)}
    assert facts[("students_total", 2024)] == 4300
    assert facts[("staff_total", 2024)] == 370
    assert facts[("teachers_fulltime", 2024)] == 340
    assert facts[("employment_rate", 2024)] == 97.5
    assert facts[("satisfaction_students", 2024)] == 96.1


@pytest.mark.parametrize(
    "title, name, level",
    [
        ("2023年新乡市职业教育质量年度报告", "新乡市", "city"),
        ("中等职业教育质量年度报告 武威市 2023", "武威市", "city"),
        ("延津县职业中等专业学校2023年度质量报告", "延津县职业中等专业学校", "school"),
        ("河南省职业教育质量年度报告(2023)", "河南省", "province"),
        ("安阳县中等职业教育质量年度报告（2023年度）", "安阳县", "county"),
    ],
)
def test_title_variants_name_the_subject(title, name, level):
    from orchestration.extraction.subjects import document_subject

    entity = document_subject(title, "", "").entity
    assert (entity.name, entity.level) == (name, level) and entity.admin_code
