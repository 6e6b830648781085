"""More kinds of statement and table, found by writing reports in the manner of other writers and
provinces (made-up values and wording, real parser). Each case is a kind: a plan sentence, a topic
year, a list of schools, a grouped header; none is keyed to one text."""

from __future__ import annotations

import pytest
from pdf_factory import ReportWriter

from orchestration.extraction.confidence import accepted
from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf

CITY = "开封市"
PROSE = [
    # a topic year opens the paragraph and holds for its later sentences
    "2022年，全市共有中等职业学校26所。全市中职招生1.86万人，毕业生1.52万人。",
    # plans and targets, to the end of their sentence; a deadline after the year described
    "2024年，全市计划招生3万人，力争到2025年“双师型”教师占比达到70%以上，生均教学仪器设备值达到8000元，专任教师达到5200人。",
    "按照规划，到2027年全市中职在校生达到9万人。",
    # shares named with 具有…的, gaps with a population noun, scope words of who served and paid
    "2023年，全市中职学校具有高级职称的专任教师占比为27.4%。升入高等学校继续学习的毕业生达6120人。",
    "2023年，市财政投入中职教育专项经费2380万元，免学费补助资金1.35亿元，国家助学金惠及学生1.56万人次。",
    "全市面向社会开展技能培训4.2万人次，聘请本地企业能工巧匠担任兼职教师362人。",
    # a verb with its qualifiers before the number; a sub-population after the same verb is no fact
    "2023年，全市共招收全日制中专学生2.05万人，其中招收建档立卡学生300人。",
    # one indicator over several years
    "2020年、2021年、2022年全市中职毕业生就业率分别为95.1%、96.2%、97.3%。",
    # a provincial contest, and a national one in another ；-part
    "2023年，学生参加河南省职业院校技能大赛获一等奖14个；另有1名学生获全国职业院校技能大赛一等奖。",
    # a sub-group named after the group: not the group's figure
    "全市双师型教师中高级职称教师85人。",
    # schools, each in its own ；-part, and one after 其中
    "开封市第一中等专业学校在校生5120人；开封市文化旅游学校开设专业12个，“双师型”教师占比71.3%。",
    "其中，开封市第二中等专业学校在校生3968人。",
]


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    path = tmp_path_factory.mktemp("more_kinds") / "city.pdf"
    writer = ReportWriter(path, f"{CITY}中等职业教育质量年度报告（2023年）")
    writer.heading("一、基本情况")
    for text in PROSE:
        writer.paragraph(text)
    writer.heading("二、主要指标")
    # a caption's year dates the rows; rows of schools are the schools' facts
    writer.paragraph("表1 2021年全市中职学校基本情况")
    writer.table([
        ["学校名称", "在校生（人）", "招生（人）", "专任教师（人）"],
        ["开封市第一中等专业学校", "5,020", "1,806", "312"],
        ["开封市文化旅游学校", "2,115", "702", "140"],
        ["合计", "7,135", "2,508", "452"],
    ])
    # a grouped header over its columns
    writer.paragraph("表2 教师情况")
    writer.table([
        ["项目", "教师数（人）", ""],
        ["", "专任教师", "双师型教师"],
        ["全市合计", "3,010", "1,650"],
    ])
    # the area's own column beside the province's
    writer.paragraph("表2-1 与全省比较")
    writer.table([["指标", "全市", "全省"], ["专任教师（人）", "3,010", "52,000"]])
    # label-value pairs side by side; actual against budget; a count beside an amount
    writer.paragraph("表3 办学条件")
    writer.table([
        ["指标", "数值", "指标", "数值"],
        ["纸质图书（万册）", "218.5", "实训工位（个）", "21,600"],
    ])
    writer.paragraph("表4 2021年经费执行情况")
    writer.table([
        ["项目", "预算数（万元）", "实际执行（万元）", "执行率（%）"],
        ["财政专项拨款", "2,400", "2,286.5", "95.27"],
    ])
    writer.paragraph("表5 学生资助情况")
    writer.table([
        ["项目", "人次", "金额（万元）"],
        ["中职国家助学金", "15,600", "1,560.0"],
    ])
    # a borderless 指标 | 单位 | 数值 table
    writer.paragraph("表6 其他指标")
    writer.table([
        ["指标", "单位", "数值"],
        ["社会培训", "万人次", "4.2"],
        ["教学仪器设备总值", "亿元", "3.05"],
        ["生均教学仪器设备值", "万元/生", "0.61"],
    ], ruled=False, widths=[180, 80, 100])
    writer.save()
    all_facts = extract_report(parse_pdf(path), path.name)
    return {(f.entity, f.indicator, f.period_year): f.value for f in accepted(all_facts)}


@pytest.mark.parametrize("entity, indicator, year, value", [
    (CITY, "schools_total", 2022, 26),
    (CITY, "enrollment_new", 2022, 18600),
    (CITY, "graduates_total", 2022, 15200),
    (CITY, "teachers_senior_title_share", 2023, 27.4),
    (CITY, "further_study_total", 2023, 6120),
    (CITY, "special_funding", 2023, 2380),
    (CITY, "tuition_waiver_amount", 2023, 13500),
    (CITY, "state_grant_recipients", 2023, 15600),
    (CITY, "training_headcount", 2023, 42000),
    (CITY, "teachers_parttime", 2023, 362),
    (CITY, "enrollment_new", 2023, 20500),
    (CITY, "employment_rate", 2020, 95.1),
    (CITY, "employment_rate", 2021, 96.2),
    (CITY, "employment_rate", 2022, 97.3),
    (CITY, "provincial_awards_first", 2023, 14),
    ("开封市第一中等专业学校", "students_total", 2023, 5120),
    ("开封市文化旅游学校", "majors_total", 2023, 12),
    ("开封市文化旅游学校", "teachers_dual_qualified_share", 2023, 71.3),
    ("开封市第二中等专业学校", "students_total", 2023, 3968),
])
def test_each_kind_of_statement_is_read(facts, entity, indicator, year, value):
    assert facts[(entity, indicator, year)] == pytest.approx(value)


@pytest.mark.parametrize("entity, indicator, year, value", [
    ("开封市第一中等专业学校", "students_total", 2021, 5020),
    ("开封市第一中等专业学校", "enrollment_new", 2021, 1806),
    ("开封市文化旅游学校", "teachers_fulltime", 2021, 140),
    (CITY, "students_total", 2021, 7135),
    (CITY, "teachers_fulltime", 2023, 3010),
    (CITY, "teachers_dual_qualified", 2023, 1650),
    (CITY, "books_paper", 2023, 2185000),
    (CITY, "training_stations", 2023, 21600),
    (CITY, "special_funding", 2021, 2286.5),
    (CITY, "state_grant_recipients", 2023, 15600),
    (CITY, "state_grant_amount", 2023, 1560),
    (CITY, "equipment_value", 2023, 30500),
    (CITY, "equipment_value_per_student", 2023, 6100),
])
def test_each_kind_of_table_is_read(facts, entity, indicator, year, value):
    assert facts[(entity, indicator, year)] == pytest.approx(value)


def test_plans_budgets_and_sub_groups_are_not_facts(facts):
    values = {value for (entity, _, _), value in facts.items() if entity == CITY}
    # 计划招生, 力争…占比/生均/专任教师, 到2027年…, the budget and province columns, 双师型教师中高级职称教师, 建档立卡
    for distractor in (30000, 70, 8000, 5200, 90000, 2400, 85, 300, 52000):
        assert distractor not in values
    assert facts[(CITY, "teachers_dual_qualified", 2023)] == 1650  # the table's, not the 85 of a sub-group


SCHOOL = "宾县职业技术教育中心学校"  # a name that goes on after 职业技术教育中心


@pytest.fixture(scope="module")
def school_facts(tmp_path_factory):
    path = tmp_path_factory.mktemp("more_kinds") / "school.pdf"
    writer = ReportWriter(path, f"{SCHOOL}质量年度报告（2023年）")
    writer.heading("一、学校概况")
    writer.paragraph("学校是省级示范学校，其在籍学生3160人。2023年，学校国家助学金发放148.5万元，争取中央财政专项资金680万元。")
    writer.paragraph("毕业生中升入高职院校等高一级学校506人。全年开展农村劳动力转移培训等社会培训1.26万人次，比上年增长15.3%。")
    # a larger area's figure is a benchmark in a school's report, and so is a statement about the province
    writer.paragraph("全省中职学校平均升学率为48%。黑龙江省中职学校生师比为16.2:1，学校高于全省平均水平。")
    writer.paragraph("表1 教师队伍结构")
    writer.table([
        ["项目", "人数", "占专任教师比例"],
        ["专任教师", "265", "—"],
        ["“双师型”教师", "151", "56.98%"],
        ["高级职称教师", "68", "25.66%"],
    ])
    writer.paragraph("表2 办学条件")
    writer.table([
        ["指标", "单位", "数值"],
        ["生均实训工位", "个", "0.65"],
        ["毕业生", "人", "1,012"],
    ])
    writer.save()
    return {(f.entity, f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}


@pytest.mark.parametrize("indicator, value", [
    ("students_total", 3160),
    ("state_grant_amount", 148.5),
    ("special_funding", 680),
    ("further_study_total", 506),
    ("training_headcount", 12600),
    ("teachers_fulltime", 265),
    ("teachers_dual_qualified", 151),
    ("teachers_dual_qualified_share", 56.98),
    ("teachers_senior_title_share", 25.66),
    ("training_stations_per_student", 0.65),
    ("graduates_total", 1012),
])
def test_a_schools_own_statements_are_read(school_facts, indicator, value):
    assert school_facts[(SCHOOL, indicator, 2023)] == pytest.approx(value)


def test_a_schools_report_keeps_its_full_name_and_leaves_out_benchmarks(school_facts):
    assert {entity for entity, _, _ in school_facts} == {SCHOOL}
    assert 48 not in school_facts.values() and 16.2 not in school_facts.values() and 68 not in school_facts.values()


def test_a_list_of_areas_and_a_news_item_about_last_years_figures(tmp_path):
    path = tmp_path / "news.pdf"
    writer = ReportWriter(path, "《通化市2024年中等职业教育质量年度报告》发布")
    writer.paragraph("通化新闻网讯 《通化市2024年中等职业教育质量年度报告》日前发布。报告显示，2023年，全市6所中等职业学校全日制在校生1.46万人。")
    writer.paragraph("毕业生毕业去向落实率96.9%，实训工位数达到6850个。")
    writer.paragraph("表1 各县市区中职教育情况")
    writer.table([
        ["县市区", "学校数（所）", "在校生（人）", "毕业生（人）"],
        ["集安市", "1", "1980", "586"],
        ["柳河县", "2", "3820", "1985"],
    ])
    writer.save()
    facts = {(f.entity, f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}
    # the body speaks of 2023 only: every figure without a year of its own is 2023's
    assert facts[("通化市", "schools_total", 2023)] == 6
    assert facts[("通化市", "employment_rate", 2023)] == 96.9
    assert facts[("通化市", "training_stations", 2023)] == 6850
    # counts that look like years, after other values in the row, are values
    assert facts[("集安市", "students_total", 2023)] == 1980
    assert facts[("柳河县", "graduates_total", 2023)] == 1985


def test_a_writer_table_whose_cells_wrap(tmp_path):
    """Writer wraps a cell too long for its column and centres the row's other cells against it, so
    one row's lines overlap: they are read as one row, column by column."""
    path = tmp_path / "wrapped.pdf"
    writer = ReportWriter(path, "红河州中等职业教育质量年度报告（2024年度）")
    writer.paragraph("表1-1 红河州中等职业学校办学规模情况统计")
    writer.wrapped_table([
        ["学年", "机构总数（所）", "在校生数（人）全日制", "招生数（人）全日制", "毕业生数（人）全日制"],
        ["2022—2023", "25", "32394", "23913", "20350"],
        ["2023—2024", "20", "30771", "14086", "7843"],
    ], widths=[44, 56, 64, 64, 64])
    writer.save()
    parsed = parse_pdf(path)
    assert parsed.tables[0].rows[1] == ["2022—2023", "25", "32394", "23913", "20350"]
    facts = {(f.indicator, f.period_year): f.value for f in accepted(extract_report(parsed, path.name))}
    assert facts[("schools_total", 2023)] == 25 and facts[("students_total", 2024)] == 30771
    assert facts[("enrollment_new", 2024)] == 14086 and facts[("graduates_total", 2023)] == 20350


def test_a_caption_and_header_left_at_the_foot_of_a_page_head_the_rows_overleaf(tmp_path):
    """Writer keeps a caption with its header row, so both may end a page while the rows go on the
    next: the rows get that header and caption (and the header is no stray paragraph)."""
    path = tmp_path / "orphan.pdf"
    writer = ReportWriter(path, "烟台市中等职业教育质量年度报告（2024年）")
    while writer.y > 150:
        writer.paragraph("全市坚持把职业教育摆在更加突出的位置，统筹推进中职学校布局调整和内涵建设。")
    writer.paragraph("表1 烟台市中等职业教育主要指标")
    writer.table([["指标", "单位", "2023年", "2024年"]], ruled=False, widths=[160, 60, 80, 80])
    writer._need(10_000)  # the rows start a new page
    writer.table([["中等职业学校", "所", "35", "34"], ["在校生数", "人", "67920", "68540"]], ruled=False,
                 widths=[160, 60, 80, 80])
    writer.save()
    parsed = parse_pdf(path)
    assert parsed.tables[0].rows[0] == ["指标", "单位", "2023年", "2024年"] and "表1" in parsed.tables[0].caption
    assert not any("2023年2024年" in b.text.replace(" ", "") for b in parsed.blocks)
    facts = {(f.indicator, f.period_year): f.value for f in accepted(extract_report(parsed, path.name))}
    assert facts[("schools_total", 2023)] == 35 and facts[("students_total", 2024)] == 68540


def test_remarks_sub_groups_and_the_year_a_report_says_it_describes(tmp_path):
    path = tmp_path / "county.pdf"
    writer = ReportWriter(path, "厦门市集美区中等职业教育质量年度报告（2017年）")
    writer.paragraph("本报告反映的是2016年全区中等职业教育发展情况。")
    writer.paragraph("全区中职毕业生就业（含升学）2286人。直接就业学生中对口就业率为86.5%。全区财政安排中职免学费资金1.36亿元。")
    writer.paragraph("全区中职在校生7380人，其中民办中职学校2所，在校生1260人；全区招生2560人。")
    writer.paragraph("表1 各校情况")
    writer.table([["学校", "在校生（人）"], ["厦门市集美和平职业学校", "1,350"], ["厦门工商旅游学校", "2,400"]])
    writer.paragraph("集美区教育局，2017年3月。")
    writer.save()
    facts = {(f.entity, f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}
    area = "集美区"
    assert facts[(area, "employed_total", 2016)] == 2286  # the year stated, not the sign-off's
    assert facts[(area, "matched_employment_rate", 2016)] == 86.5
    assert facts[(area, "tuition_waiver_amount", 2016)] == 13600
    assert facts[(area, "students_total", 2016)] == 7380 and facts[(area, "enrollment_new", 2016)] == 2560
    assert 1260 not in facts.values()  # the private schools' students, a sub-group
    assert facts[("厦门市集美和平职业学校", "students_total", 2016)] == 1350  # 和 inside a school's name


def test_full_width_separators_owner_columns_and_a_table_that_runs_overleaf(tmp_path):
    path = tmp_path / "district.pdf"
    writer = ReportWriter(path, "江津区中等职业教育质量年度报告（2024年）")
    writer.paragraph("2023年，全区中职学校教职工３，８７４人，其中专任教师２，９１２人。上年度全区中职毕业生就业率为９６．１％。")
    writer.paragraph("全区就业（含升学）率为９７．３％。据了解，全省中职学校今年招生11.2万人。")
    writer.paragraph("表1 2023年全区中职学校基本情况")
    schools = [["重庆市江津区职业教育中心", "区属", "6,218", "352", "236", "67.0%"],
               ["重庆市江津区实验职业中学", "区属", "3,105", "188", "112", "59.6%"]]
    writer.table([["学校", "举办者", "在校生（人）", "专任教师（人）", "双师型教师（人）", "占比"], *schools],
                 widths=[140, 36, 66, 66, 84, 44])
    writer.paragraph("表2 各校毕业生情况")
    header = [["学校", "毕业生（人）", "就业率（%）"]]
    writer.table(header + [["重庆市江津区职业教育中心", "2,010", "98.2"], ["重庆市江津区德感职业中学", "1,204", "97.9"]],
                 ruled=False, widths=[200, 90, 90])
    writer._need(10_000)  # the table goes on overleaf without its header; the page's running header is above it
    writer.table([["重庆市江津区实验职业中学", "1,002", "97.6"]], ruled=False, widths=[200, 90, 90])
    writer.save()
    facts = {(f.entity, f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}
    area, school = "江津区", "重庆市江津区职业教育中心"
    assert facts[(area, "staff_total", 2023)] == 3874 and facts[(area, "teachers_fulltime", 2023)] == 2912
    assert facts[(area, "employment_rate", 2022)] == 96.1 and facts[(area, "employment_rate", 2023)] == 97.3
    assert 112000 not in facts.values()  # the province's figure in a district's report
    assert facts[(school, "students_total", 2023)] == 6218  # an owner column (区属) between name and figures
    assert facts[(school, "teachers_dual_qualified_share", 2023)] == 67.0  # 占比 beside the count
    assert facts[("重庆市江津区实验职业中学", "graduates_total", 2023)] == 1002  # the rows overleaf


def test_a_schools_report_with_its_teams_cases_and_plans(tmp_path):
    path = tmp_path / "school_case.pdf"
    writer = ReportWriter(path, "桂平市职业教育中心质量年度报告（2020年）")
    writer.paragraph("本学年学校招收新生1,186人，642名学生取得职业技能等级证书。2020届毕业生初次就业起薪2,950元。")
    writer.paragraph("在2020年广西职业院校技能大赛中，学校代表队获一等奖3个、二等奖7个；教师王某某获全国教学能力比赛三等奖。")
    # a case box about one graduate, and next year's plan
    writer.paragraph("典型案例：学员梁某某，2019年毕业后自主创业，月收入达到3,200元。")
    writer.paragraph("2021年，学校计划启动新校区二期建设，争取专项资金1,200万元。")
    writer.paragraph("表1 办学条件")
    writer.table([["指标", "单位", "2019年", "2020年"], ["生师比", "—", "17.45", "17.48"],
                  ["年财政专项拨款", "万元", "1980", "2360"]])
    writer.save()
    facts = {(f.indicator, f.period_year): f.value for f in accepted(extract_report(parse_pdf(path), path.name))}
    assert facts[("enrollment_new", 2020)] == 1186 and facts[("certificates_total", 2020)] == 642
    assert facts[("starting_monthly_salary", 2020)] == 2950  # not the one graduate's 3,200
    assert facts[("provincial_awards_first", 2020)] == 3 and facts[("provincial_awards_second", 2020)] == 7
    assert ("special_funding", 2021) not in facts  # a plan
    # a ratio row whose unit cell is a dash, and a figure that looks like a year under a year's header
    assert facts[("student_teacher_ratio", 2019)] == 17.45 and facts[("special_funding", 2019)] == 1980
