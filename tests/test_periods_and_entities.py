"""Periods and entities resolved by kind, on reports made here (made-up values and wording, real
places), read through the real parser: a period given as a range of dates, relative years in a
dated document, a school named by its area's unit word inside an area report, and school names
that open with a province or a 直辖市."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter

from orchestration.extraction.confidence import accepted
from orchestration.extraction.documents import report_meta
from orchestration.extraction.entities import school_name_at_start
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


# ---- 3. a school named by its area's unit word, inside the area's report ----

@pytest.mark.parametrize("text, area, name, code", [
    ("县职教中心在校生4380人", "360730", "宁都县职业教育中心", "360730"),
    ("其中县中专专任教师286人", "360730", "宁都县中等专业学校", "360730"),
    ("本县职业中专开设专业14个", "360730", "宁都县职业中等专业学校", "360730"),
    ("市职业高中在校生1650人", "430921", "益阳市职业高级中学", "430900"),  # 南县's city
    ("省理工中专招生", "620602", "甘肃省理工中等专业学校", "620000"),
    ("区职业中专在校生1650人", "430900", None, None),  # a city has no 区 of its own
])
def test_a_school_named_by_its_areas_unit_word(text, area, name, code):
    found = school_name_at_start(text, area)
    if name is None:
        assert found is None
    else:
        assert (found[0].name, found[0].level, found[0].admin_code) == (name, "school", code)


@pytest.mark.parametrize("phrase", ["县级职教中心", "县中等职业学校", "全县职业中专", "县属学校"])
def test_an_areas_schools_in_general_are_no_reference_to_one(phrase):
    assert school_name_at_start(phrase + "在校生1200人", "360730") is None


def test_a_clause_about_the_county_school_inside_a_county_report(tmp_path):
    path = write(tmp_path / "county.pdf", "全县中等职业教育发展情况通报", [
        "2023年，全县共有中等职业学校3所，在校生6120人，其中县职教中心在校生4380人。",
        "全县中职专任教师420人，其中县中专专任教师286人，“双师型”教师占专任教师的比例为52.6%。",
        "全县中职招生2230人，其中宁都县育才职业学校招生615人。",
        "县职业中专开设专业14个。",
        "全县中职毕业生1980人。",
    ], header="宁都县教育科技体育局")
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code) == ("宁都县", "county", "360730")
    county = "宁都县"
    assert facts[(county, "schools_total", 2023)] == 3
    assert facts[(county, "students_total", 2023)] == 6120
    assert facts[("宁都县职业教育中心", "students_total", 2023)] == 4380
    assert facts[(county, "teachers_fulltime", 2023)] == 420
    assert facts[("宁都县中等专业学校", "teachers_fulltime", 2023)] == 286
    # only that clause is the school's: the share after it is the county's
    assert facts[(county, "teachers_dual_qualified_share", 2023)] == 52.6
    assert facts[(county, "enrollment_new", 2023)] == 2230
    assert facts[("宁都县育才职业学校", "enrollment_new", 2023)] == 615
    assert facts[("宁都县职业中等专业学校", "majors_total", 2023)] == 14
    assert facts[(county, "graduates_total", 2023)] == 1980
    assert not any(entity in ("县职教中心", "县中专", "县职业中专") for entity, _, _ in facts)


# ---- 4. school names that open with a province or a 直辖市 ----

@pytest.mark.parametrize("title, name, code", [
    # a 直辖市 is the school's city: its name as the text gives it, with the district's code
    ("天津市西青区职业教育中心学校质量年度报告（2023年）", "天津市西青区职业教育中心学校", "120111"),
    ("重庆市綦江职业教育中心质量年度报告（2023年）", "重庆市綦江职业教育中心", "500110"),
    # a county's short name after a province gives the county's code; the name stays whole
    ("江西省信丰职业技术学校质量年度报告（2023年）", "江西省信丰职业技术学校", "360722"),
    # a province before a county written in full only locates the school
    ("湖南省桃江县职业中等专业学校质量年度报告（2023年）", "桃江县职业中等专业学校", "430922"),
])
def test_school_names_opening_with_a_province(tmp_path, title, name, code):
    path = write(tmp_path / "school.pdf", title, ["2023年，学校有全日制在校生2460人，专任教师158人。"])
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code) == (name, "school", code)
    assert facts[(name, "students_total", 2023)] == 2460


# ---- 5. a school named for its county and its type, speaking of itself as 学校 ----

def test_a_school_named_for_its_county_that_opens_its_sentences_with_school(tmp_path):
    """"XX市中等职业学校…报告" may be a county-level city's schools or its one school: a report whose
    sentences open with 学校 (学校坚持…, 学校推进…) is the school's, though it mentions 全市 and 全省."""
    path = write(tmp_path / "school.pdf", "桐乡市中等职业学校中等职业教育质量年度报告（2023）", [
        "桐乡市中等职业学校是市政府举办的公办学校。学校现有全日制在校生1840人，专任教师131人。",
        "学校坚持产教融合，学生技能竞赛成绩位居全市前列。",
        "学校推进“三教”改革，2023届毕业生586人，生均财政拨款高于全省平均水平。",
    ])
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code) == ("桐乡市中等职业学校", "school", "330483")
    assert facts[("桐乡市中等职业学校", "students_total", 2023)] == 1840


def test_an_area_report_on_its_schools_stays_the_areas(tmp_path):
    path = write(tmp_path / "area.pdf", "桐乡市中等职业学校质量年度报告（2023）", [
        "全市共有中等职业学校3所，全日制在校生5120人。",
        "学校布局进一步优化，全市中职学校专任教师402人。",
    ])
    meta, facts = read(path)
    assert (meta.subject, meta.level) == ("桐乡市", "county")
    assert facts[("桐乡市", "students_total", 2023)] == 5120


def test_a_citys_school_named_in_full_that_speaks_as_a_school(tmp_path):
    path = write(tmp_path / "school.pdf", "丽江市中等职业技术学校质量年度报告（2023年）", [
        "我校是丽江市唯一一所公办中职学校。2023年，我校有全日制在校生2950人，专任教师171人。",
        "我校毕业生广受企业欢迎，就业率高于全省平均水平。",
    ])
    meta, facts = read(path)
    assert (meta.subject, meta.level, meta.admin_code) == ("丽江市中等职业技术学校", "school", "530700")
    assert facts[("丽江市中等职业技术学校", "students_total", 2023)] == 2950


# ---- 6. 当年 is the year last named ----

@pytest.mark.parametrize("text, year", [
    ("2020年，全省共有中等职业学校471所，当年招生24.37万人", 2020),
    ("当年招生2816人", 2022),  # no year named before it: the body's year
])
def test_that_year_is_the_year_last_named(text, year):
    assert [y for _, _, y in period_mentions(text, body_year=2022, written=2023)][-1] == year


@pytest.mark.parametrize("text, year", [
    ("截至2018年4月2日，学校占地总面积11万平方米；现有专任教师250人", 2018),
    ("截止2022年底，全县中职学校在校生3100人", 2022),
    ("截止到2021年12月，学校有教职工300人", 2021),
])
def test_the_date_a_count_stands_at_is_its_period(text, year):
    assert [y for _, _, y in period_mentions(text, body_year=2016)] == [year]


def test_a_date_a_count_stands_at_is_no_deadline():
    from orchestration.extraction.scope import in_target

    text = "截至2018年4月2日，现有专任教师250人"
    assert not in_target(text, text.index("250"), body_year=2016)
    assert in_target("到2025年，专任教师达到300人", 12, body_year=2023)


# ---- 7. a page that profiles several schools, one under each heading ----

def test_each_schools_figures_follow_the_heading_that_names_it(tmp_path):
    writer = ReportWriter(tmp_path / "profiles.pdf", "中职学校巡礼：两所公办中职学校办学概况")
    writer.heading("平阳县职业教育中心（浙江省温州市平阳县）")
    writer.paragraph("学校创办于1984年，是国家级重点职业学校。截至2023年6月，学校有全日制在校生3620人，专任教师246人。2023届毕业生1150人，就业率98.2%。")
    writer.heading("苍南县职业中等专业学校（浙江省温州市苍南县）")
    writer.paragraph("学校始建于1980年。截至2023年6月，学校有全日制在校生4180人，专任教师301人。2023届毕业生1320人，就业率97.6%。")
    meta, facts = read(writer.save())
    assert facts[("平阳县职业教育中心", "students_total", 2023)] == 3620
    assert facts[("苍南县职业中等专业学校", "students_total", 2023)] == 4180
    assert facts[("苍南县职业中等专业学校", "teachers_fulltime", 2023)] == 301
    assert facts[("苍南县职业中等专业学校", "graduates_total", 2023)] == 1320
    assert {entity for entity, _, _ in facts} == {"平阳县职业教育中心", "苍南县职业中等专业学校"}


# ---- 8. a division the code table does not list yet ----

def test_a_division_renamed_since_the_code_table_is_the_listed_one_of_its_stem():
    """梁平区 was 梁平县 until 2016, and cpca's table still says 梁平县: within 重庆市, where the text
    places it, 梁平县 is it, renamed; the report keeps its name and says so."""
    from orchestration.extraction.subjects import document_subject

    subject = document_subject("梁平区2023年度中等职业教育质量报告", "重庆市梁平区教育委员会",
                               "2023年，全区共有中等职业学校2所，在校生6120人。重庆市梁平职业教育中心在校生4100人。")
    entity = subject.entity
    assert (entity.name, entity.level, entity.admin_code) == ("梁平区", "county", "500228")
    assert "梁平县" in subject.review_reason


def test_a_division_the_code_table_lacks_waits_rather_than_joining_another():
    from orchestration.extraction.subjects import UnknownSubject, document_subject

    with pytest.raises(UnknownSubject, match="admin_divisions.csv"):
        document_subject("星河区2023年度中等职业教育质量报告", "江苏省苏州市星河区教育局",
                         "2023年，全区共有中等职业学校2所，在校生6120人。")


def test_a_citys_area_report_whose_sentences_open_with_school_stays_the_citys(tmp_path):
    path = write(tmp_path / "city.pdf", "大连市中等职业学校质量年度报告（2023）", [
        "学校布局进一步优化。学校办学条件持续改善。学校专业结构不断调整。",
        "全市中职学校在校生5.12万人，专任教师3260人。",
    ])
    meta, facts = read(path)
    assert (meta.subject, meta.level) == ("大连市", "city")


@pytest.mark.parametrize("text, year", [("截至到2024年底，学校有专任教师250人", 2024), ("截至2022年年底，在校生3000人", 2022)])
def test_as_of_written_with_a_doubled_word(text, year):
    from orchestration.extraction.scope import in_target

    assert [y for _, _, y in period_mentions(text, body_year=2021)] == [year]
    assert not in_target(text, text.index("人") - 3, body_year=2021)


def test_a_heading_of_a_higher_rank_ends_a_schools_section(tmp_path):
    writer = ReportWriter(tmp_path / "county.pdf", "平阳县中等职业教育质量年度报告（2023年）")
    writer.heading("一、基本情况")
    writer.paragraph("2023年，全县共有中等职业学校2所，全日制在校生7800人。")
    writer.heading("二、各校情况")
    writer.heading("（一）平阳县职业教育中心")
    writer.paragraph("学校有全日制在校生3620人，2023届毕业生1150人。")
    writer.heading("三、师资队伍")
    writer.paragraph("2023年，中职学校专任教师520人，生师比15.0:1。")
    meta, facts = read(writer.save())
    assert facts[("平阳县职业教育中心", "students_total", 2023)] == 3620
    assert facts[("平阳县", "teachers_fulltime", 2023)] == 520
    assert ("平阳县职业教育中心", "teachers_fulltime", 2023) not in facts


def test_a_year_between_a_number_and_its_term_is_no_other_number(tmp_path):
    path = write(tmp_path / "school.pdf", "苍南县职业中等专业学校质量年度报告（2023年）", [
        "我校2023年共有1320名2023届毕业生，就业率97.6%，全日制在校生4180人。"])
    meta, facts = read(path)
    assert facts[("苍南县职业中等专业学校", "graduates_total", 2023)] == 1320
