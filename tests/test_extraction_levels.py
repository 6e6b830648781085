"""Levels of education, where graduates go, and news-style sentences, by kind: reports made here
(made-up values and wording, real places), read through the real parser and extractor. Each case
is a kind of statement or table layout, none keyed to one text."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter

from orchestration.extraction.confidence import accepted
from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf


def _facts(path) -> dict[tuple[str, str, int], float]:
    return {(f.entity, f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}


CITY = "绵阳市"


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    """A bulletin of all levels: each level's 招生/在校生/毕业生 in sentences of one shape."""
    path = tmp_path_factory.mktemp("levels") / "bulletin.pdf"
    writer = ReportWriter(path, f"{CITY}2023年教育事业发展统计公报")
    writer.heading("一、各级各类学校")
    writer.paragraph("2023年末，全市共有研究生培养单位3所，普通高等学校14所，中等职业教育学校31所，"
                     "普通中学186所，小学402所。")
    writer.paragraph("全年研究生招生0.52万人，在校生1.48万人，毕业生0.41万人。普通高等学校招生6.12万人，"
                     "在校生21.35万人。中等职业教育招生2.86万人，在校生7.93万人，毕业生2.21万人。"
                     "普通中学招生9.87万人，在校生28.64万人，毕业生8.95万人。")
    # a level named as a qualification narrows nothing
    writer.paragraph("全市中职学校专任教师4120人，其中具有研究生学历的教师386人，“双师型”教师2310人。")
    writer.save()
    return _facts(path)


@pytest.mark.parametrize("indicator, value", [
    ("schools_total", 31),  # 中等职业教育学校N所: 中职 named as a level, then its schools
    ("enrollment_new", 28600),
    ("students_total", 79300),
    ("graduates_total", 22100),
    ("teachers_fulltime", 4120),
    ("teachers_dual_qualified", 2310),
])
def test_a_bulletin_of_all_levels_gives_the_vocational_figures(bulletin, indicator, value):
    assert bulletin[(CITY, indicator, 2023)] == pytest.approx(value)


def test_other_levels_figures_in_the_same_sentence_shape_do_not_leak(bulletin):
    values = set(bulletin.values())
    # 研究生 and 普通中学 figures, and their school counts
    for other in (5200, 14800, 4100, 98700, 286400, 89500, 186, 3, 402):
        assert other not in values


SCHOOL = "宣汉县职业中等专业学校"


@pytest.fixture(scope="module")
def write_up(tmp_path_factory):
    """A write-up of a school's last years: years inside clauses, counts before their nouns,
    approximations, and the verbs of a level reached."""
    path = tmp_path_factory.mktemp("levels") / "write_up.pdf"
    writer = ReportWriter(path, f"{SCHOOL}2023年质量年度报告")
    writer.heading("一、升学与就业")
    writer.paragraph("学校就业率在2022年为96.4%，共有512名学生经由单招、对口高考等途径升入高职院校。"
                     "2023年，这一比例继续提高，达到了97.8%。")
    writer.paragraph("在2023年的1320名毕业生中，直接就业人数减少至398人，684名毕业生顺利进入高等职业院校学习。")
    writer.paragraph("2023年，学校招生人数从2022年的1600人左右稳步增长到2150人。")
    writer.save()
    return _facts(path)


@pytest.mark.parametrize("indicator, year, value", [
    ("employment_rate", 2022, 96.4),  # a year between the term and its value
    ("further_study_total", 2022, 512),  # N名学生, how they went, where they went
    ("employment_rate", 2023, 97.8),  # "这一比例…达到了": the figure last stated, for this year
    ("graduates_total", 2023, 1320),  # "N名毕业生中": the group the clause is about
    ("direct_employment_total", 2023, 398),  # a level reached (减少至)
    ("enrollment_new", 2022, 1600),  # 从<year>的N左右: that year's approximate figure
    ("enrollment_new", 2023, 2150),  # …增长到M: the figure it became
])
def test_a_write_up_of_several_years_is_read(write_up, indicator, year, value):
    assert write_up[(SCHOOL, indicator, year)] == pytest.approx(value)


def test_one_destination_alone_is_not_read_as_all_further_study(write_up):
    # "684名毕业生顺利进入高等职业院校学习" may be one part of a breakdown by destination
    # ("升入本科院校851人，…升入高职专科院校15282人"): only a list of levels is the whole.
    assert (SCHOOL, "further_study_total", 2023) not in write_up


SCHOOL_2 = "邵东市职业中等专业学校"


@pytest.fixture(scope="module")
def self_report(tmp_path_factory):
    """A school's report: destinations listed with a remark in brackets, and a borderless
    指标·数值 table with the units in the labels and a dash for a value not given."""
    path = tmp_path_factory.mktemp("levels") / "self_report.pdf"
    writer = ReportWriter(path, f"{SCHOOL_2}质量年度报告（2023年度）")
    writer.heading("一、学生发展")
    writer.paragraph("2023届毕业生986人，其中升入高职（专科）或本科院校318人，直接就业577人。")
    writer.heading("二、附表")
    writer.paragraph("附表 主要办学指标")
    writer.table([
        ["指标", "数值"],
        ["生均财政拨款水平（元）", "14800"],
        ["生均纸质图书（册）", "—"],
        ["学生满意度（%）", "96.2"],
        ["合作企业（家）", "41"],
    ], ruled=False, widths=[220, 140])
    writer.save()
    return _facts(path)


@pytest.mark.parametrize("indicator, value", [
    ("graduates_total", 986),
    ("further_study_total", 318),  # 升入 X（…）或 Y: one destination term, remark and all
    ("direct_employment_total", 577),  # a level listed as a destination leaves the scope alone
    ("funding_per_student", 14800),  # the unit in the label
    ("satisfaction_students", 96.2),
])
def test_destinations_and_a_borderless_table_with_units_in_labels(self_report, indicator, value):
    assert self_report[(SCHOOL_2, indicator, 2023)] == pytest.approx(value)


def test_a_dash_is_no_value_and_a_row_of_no_indicator_is_no_fact(self_report):
    assert not any(indicator == "books_per_student" for _, indicator, _ in self_report)
    assert 41 not in self_report.values()


@pytest.mark.parametrize("clause, scope", [
    ("全县现有中等职业学校4所（不含技工院校）", "vocational"),  # a type a note leaves out is no scope
    ("中等职业学校（不包括技工学校）在校生3.2万人", "vocational"),
    ("全县技工院校2所", "other"),
])
def test_a_school_type_a_note_leaves_out_is_not_the_clauses_scope(clause, scope):
    from orchestration.extraction.scope import clause_scope

    assert clause_scope(clause) == scope


def test_schools_counted_without_another_type_are_the_areas_schools(tmp_path):
    path = ReportWriter(tmp_path / "county.pdf", "武胜县中等职业教育质量年度报告（2023年）").paragraph(
        "2023年，全县现有中等职业学校3所（不含技工院校），全日制在校生6240人。").save()
    assert _facts(path)[("武胜县", "schools_total", 2023)] == 3
