"""Extraction by kind of statement, on reports made here (made-up places, values and wording),
read through the real parser. Each kind comes from how real reports are written; none is keyed
to one shared text."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter

from orchestration.extraction.confidence import accepted
from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf

PROSE = [
    # scope words 中职 / 全市, and a bare number after 人数
    "全市中职在校生31250人，全市中职毕业生人数9876，已就业9512人。",
    # a list of school types: only the 中职 item is the area's figure
    "全市各级各类学校在校生52.3万人，其中幼儿园8.1万人，普通高中6.2万人，中等职业学校3.4万人。",
    # a part of the population, and the 技工 exclusion that is still the whole
    "全市中职学校（不含成人中专）共招生8000人。全市中职学校（不含技工学校）共21所。",
    # relative years and 届
    "上一年全市招生7650人，今年招生8120人。2023届毕业生共9102人。",
    # an earlier year's value inside a comparison, a delta that is no fact
    "生均公共财政预算教育经费为16520.5元，比2022年的15800元增加720.5元。",
    # a share, then the same share for another year
    "双师型教师占专任教师的58.2%，2022年为55.1%。",
    # inverted ratio, 亿元, approximate, lower bound
    "全市师生比为1:17.6，教学仪器设备总值达到了2.35亿元，全年完成社会培训3.2万余人次，专业技能考核合格率达95%以上。",
    # current vocabulary
    "毕业去向落实率为96.8%，毕业生平均月薪4210元，升入高一级学校2150人。",
    # a part of the area's schools, where the whole is stated too
    "全市中职在校生总数为31250人，其中市属中职学校在校生12000人。",
    # another school type scopes the clauses after it
    "全市普通高中45所，在校生6.2万人。",
]
# A county report written another way.
COUNTY_PROSE = [
    # the number before its term; a list of things approved is no count of them
    "全县共有4所中等职业学校。今年有2800名毕业生直接就业。3所中等职业学校、7个专业被教育部批准参与试点。",
    # a share whose base is implied, a value after a remark, a per-student figure after its number
    "升学1200人，占比45.3%。全县中职学校生师比进一步降低，为13.2:1。每位学生平均可拥有36.5册图书。",
    # a season before the scope words, a space inside a number, a monthly amount
    "2022年秋季学期全县中职在校生1 256人，毕业生初次就业起薪平均为3200元/月。",
]


@pytest.fixture(scope="module")
def city_facts(tmp_path_factory):
    path = tmp_path_factory.mktemp("kinds") / "city.pdf"
    writer = ReportWriter(path, "洛阳市中等职业教育质量年度报告（2023年）")
    writer.heading("一、基本情况")
    for text in PROSE:
        writer.paragraph(text)
    writer.heading("二、办学规模")
    writer.paragraph("全市中等职业学校近三年学生情况见下表。")
    writer.table([
        ["招生", "2021年", "2022年", "2023年"],
        ["普通中专（人）", "3100", "3050", "2980"],
        ["职业高中（人）", "4200", "4400", "4610"],
        ["中职总计（人）", "7300", "7450", "7590"],
    ])
    writer.table([
        ["学年", "在校生数（人）全日制", "在校生数（人）非全日制"],
        ["2021—2022", "30110", "2100"],
    ])
    writer.save()
    facts = extract_report(parse_pdf(path), path.name)
    return {(f.indicator, f.period_year): f for f in accepted(facts)}, facts


@pytest.mark.parametrize("indicator, year, value", [
    ("students_total", 2023, 31250),
    ("graduates_total", 2023, 9876),
    ("employed_total", 2023, 9512),
    ("schools_total", 2023, 21),
    ("enrollment_new", 2022, 7650),
    ("enrollment_new", 2023, 8120),
    ("funding_per_student", 2023, 16520.5),
    ("funding_per_student", 2022, 15800),
    ("teachers_dual_qualified_share", 2023, 58.2),
    ("teachers_dual_qualified_share", 2022, 55.1),
    ("student_teacher_ratio", 2023, 17.6),
    ("equipment_value", 2023, 23500),
    ("training_headcount", 2023, 32000),
    ("pass_rate_skills", 2023, 95),
    ("employment_rate", 2023, 96.8),
    ("starting_monthly_salary", 2023, 4210),
    ("further_study_total", 2023, 2150),
    ("enrollment_new", 2021, 7300),
    ("students_total", 2022, 30110),
])
def test_each_kind_of_statement_is_read(city_facts, indicator, year, value):
    accepted_facts, _ = city_facts
    assert accepted_facts[(indicator, year)].value == pytest.approx(value)


def test_distractors_are_not_facts(city_facts):
    accepted_facts, all_facts = city_facts
    values = {round(f.value, 2) for f in accepted(all_facts)}
    # other school types, the whole of all levels, a part of the population, a delta, sub-type rows
    for distractor in (523000, 81000, 62000, 8000, 720.5, 45, 4610, 2100, 12000):
        assert distractor not in values
    # the 中职 item of the list agrees with the area's own statement, so nothing conflicts with it
    assert accepted_facts[("graduates_total", 2023)].value == 9876  # 9876 stated before 2023届 9102
    # the part of the area stated beside the whole waits for review instead of reaching the marts
    part = [f for f in all_facts if f.value == 12000]
    assert part and all(f.confidence < 0.6 and "subset" in f.confidence_reason for f in part)


def test_every_fact_has_page_snippet_and_confidence(city_facts):
    _, facts = city_facts
    for fact in facts:
        assert fact.page >= 1 and fact.printed in fact.snippet
        assert 0 < fact.confidence <= 1 and fact.confidence_reason


@pytest.mark.parametrize("indicator, value", [
    ("schools_total", 4),
    ("direct_employment_total", 2800),
    ("further_study_total", 1200),
    ("further_study_share", 45.3),
    ("student_teacher_ratio", 13.2),
    ("books_per_student", 36.5),
    ("students_total", 1256),
    ("starting_monthly_salary", 3200),
])
def test_each_kind_of_statement_is_read_in_a_county_report(tmp_path_factory, indicator, value):
    path = tmp_path_factory.getbasetemp() / "county.pdf"
    if not path.exists():
        writer = ReportWriter(path, "新安县2022年中等职业教育质量年度报告")
        writer.heading("一、基本情况")
        for text in COUNTY_PROSE:
            writer.paragraph(text)
        writer.save()
    facts = {f.indicator: f for f in accepted(extract_report(parse_pdf(path), path.name)) if f.period_year == 2022}
    assert facts[indicator].value == pytest.approx(value)
    assert 3 not in {f.value for f in facts.values() if f.indicator == "schools_total"}
