"""Recognising documents: kind, subject entity, admin code and years, on real texts and on PDFs
of each kind made here, all through the real parser."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO
from pdf_factory import ReportWriter, plain_pdf

from orchestration.extraction.documents import NotAReport, ReportMeta, entity_in_text, report_meta
from orchestration.extraction.divisions import divisions
from orchestration.extraction.entities import school_at_start
from orchestration.extraction.periods import body_year, issue_year, year_mentions
from orchestration.extraction.places import mentions, names_of
from orchestration.reports.pdf import parse_pdf

REAL_DEV = REPO.parent / "shared" / "real_dev"
REAL_DOCS = sorted(p.stem for p in (REAL_DEV / "pdf").glob("*.pdf")) if REAL_DEV.exists() else []
needs_real_dev = pytest.mark.skipif(not REAL_DOCS, reason="../shared/real_dev is not beside the repo")


def meta_of(path: Path):
    return report_meta(parse_pdf(path), path.name)


def document(path: Path, title: str, *paragraphs: str) -> Path:
    writer = ReportWriter(path, title)
    for text in paragraphs:
        writer.paragraph(text)
    return writer.save()


FIGURES = "全市共有中等职业学校12所，在校生15230人，招生5120人，毕业生4380人，专任教师960人，毕业生就业率97.2%。"


@pytest.fixture(scope="module")
def real_metas():
    return {stem: meta_of(REAL_DEV / "pdf" / f"{stem}.pdf") for stem in REAL_DOCS}


def gold_main(stem: str) -> tuple[tuple[str, str], int]:
    """The gold's most frequent (entity, level), and its dominant year (the later one on a tie)."""
    with open(REAL_DEV / "gold" / f"{stem}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entity = Counter((r["entity"], r["entity_level"]) for r in rows).most_common(1)[0][0]
    years = Counter(int(r["period_year"]) for r in rows)
    return entity, max(years, key=lambda y: (years[y], y))


@needs_real_dev
@pytest.mark.parametrize("stem", REAL_DOCS)
def test_real_documents_are_recognised_with_the_gold_subject_and_year(real_metas, stem):
    meta = real_metas[stem]
    (entity, level), year = gold_main(stem)
    assert (meta.subject, meta.level, meta.body_year) == (entity, level, year)
    if level == "school":  # the code of the most specific place the school's name states
        assert any(name in entity for name in names_of(divisions()[meta.admin_code]))
    else:
        assert [d.code for d in divisions().values() if d.name == entity] == [meta.admin_code]


@needs_real_dev
def test_real_write_ups_and_entries_are_their_own_kind(real_metas):
    kinds = Counter(m.document_type for m in real_metas.values())
    assert kinds["news"] >= 4 and kinds["yearbook"] >= 1 and kinds["report"] >= 8


@needs_real_dev
def test_sentences_naming_other_areas_resolve_inside_the_document(real_metas):
    subject = real_metas["d05_shanghai_3districts_2022"]
    assert entity_in_text("长宁区2022年中职校毕业生490人，其中升入高等教育的有286人", subject).admin_code == "310105"
    assert entity_in_text("嘉定区中等职业教育质量年度报告显示，2022届毕业生升学率达96.1%", subject).admin_code == "310114"
    assert entity_in_text("闵行区区属中职校共有毕业生1223人", subject) is None
    subject = real_metas["d03_guangdong_2019"]
    assert entity_in_text("其次是湛江市，有42所", subject).admin_code == "440800"
    assert entity_in_text("学校最多的是广州市，有82所", subject).admin_code == "440100"
    assert entity_in_text("2019年，我省独立设置的中等职业学校共有426所", subject) is None


@pytest.mark.parametrize(
    "title, paragraphs, expected",
    [
        ("遵义市中等职业教育2024年年度报告", [FIGURES], ("遵义市", "city", "520300", 2024, 2024, "report")),
        ("甘肃省中等职业教育质量年度评估报告（2023年）", [FIGURES.replace("全市", "全省")],
         ("甘肃省", "province", "620000", 2023, 2023, "report")),
        ("临泽县中职教育年度质量报告", ["临泽县教育局", "二○二四年三月", "2023年，" + FIGURES.replace("全市", "全县")],
         ("临泽县", "county", "620723", 2024, 2023, "report")),
        ("绵阳市中等职业教育质量年度报告", ["发布日期：2024-12-20", "2024年，" + FIGURES],
         ("绵阳市", "city", "510700", 2024, 2024, "report")),
        ("恩施州中等职业教育质量年度报告（2022—2023学年）", [FIGURES.replace("全市", "全州")],
         ("恩施土家族苗族自治州", "city", "422800", 2023, 2023, "report")),
        ("广西中等职业教育质量年度报告（2023）", [FIGURES.replace("全市", "全区")],
         ("广西壮族自治区", "province", "450000", 2023, 2023, "report")),
        ("2019临泽县职业教育中心质量年度报告", ["学校在校生1520人，专任教师96人，毕业生就业率96.5%。"],
         ("临泽县职业教育中心", "school", "620723", 2019, 2019, "report")),
        ("四川省南充市嘉陵职业高级中学校2023年度质量报告", ["学校标识码：4151001234", "学校在校生2300人，教职工180人。"],
         # 嘉陵 after 南充市 is its district's short name: the school sits in 嘉陵区
         ("南充市嘉陵职业高级中学校", "school", "511304", 2023, 2023, "report")),
        ("湖南省安化县职业中专2022学年质量报告", ["学校在校生3100人。"],
         ("安化县职业中专", "school", "430923", 2023, 2023, "report")),
        ("中等职业教育质量年度报告 延津县职业中等专业学校 2023", ["学校在校生3100人。"],
         ("延津县职业中等专业学校", "school", "410726", 2023, 2023, "report")),
        ("延津县职业中等专业学校质量年度报告2023年度", ["学校在校生3100人。"],
         ("延津县职业中等专业学校", "school", "410726", 2023, 2023, "report")),
        ("2023年度质量年度报告", ["延津县职业中等专业学校", "学校在校生3100人。"],
         ("延津县职业中等专业学校", "school", "410726", 2023, 2023, "report")),
        ("育才职业学校2023年质量年度报告", ["学校位于遵义市红花岗区，是遵义市教育局主管的公办学校。", "学校在校生3100人。"],
         ("育才职业学校", "school", "520300", 2023, 2023, "report")),
        ("尖扎县中等职业学校2023年质量年度报告", ["我校现有在校生1200人，全校教职工98人，本校开设专业8个。"],
         ("尖扎县中等职业学校", "school", "632322", 2023, 2023, "report")),
        ("遵义市中等职业学校质量年度报告（2023年）", ["2023年，" + FIGURES],
         ("遵义市", "city", "520300", 2023, 2023, "report")),
        ("2023年遵义市中职毕业生就业率达97.5%", ["来源：遵义日报　2024-02-10",
                                           "遵义市教育局发布《遵义市中等职业教育质量报告（2023年度）》。" + FIGURES],
         ("遵义市", "city", "520300", 2023, 2023, "news")),
        ("贵州省职业教育（2022年）", ["【中等职业教育】2022年，全省共有中等职业学校190所，招生18.2万人，在校生49.6万人，"
                                   "毕业生14.1万人，专任教师2.3万人。"],
         ("贵州省", "province", "520000", 2022, 2022, "yearbook")),
        ("中等职业教育发展概况（2021年）", ["2021年，全省中等职业学校共招生3.2万人，在校生9.8万人，专任教师5400人。",
                                      "贵阳市、遵义市和安顺市的学校数量居前，贵州省职业院校技能大赛参赛人数创新高。"],
         ("贵州省", "province", "520000", 2021, 2021, "report")),
    ],
)
def test_each_kind_of_document_is_recognised(tmp_path, title, paragraphs, expected):
    meta = meta_of(document(tmp_path / "doc.pdf", title, *paragraphs))
    assert (meta.subject, meta.level, meta.admin_code, meta.report_year, meta.body_year, meta.document_type) == expected
    assert meta.review_reason == ""


def test_a_chapter_without_the_words_quality_or_report_is_recognised_by_its_figures(tmp_path):
    path = document(tmp_path / "c.pdf", "遵义市中等职业教育发展规模与结构", "2023年，" + FIGURES, "2023年，全市中职学校生师比为16.2:1。")
    meta = meta_of(path)
    assert (meta.subject, meta.document_type, meta.body_year) == ("遵义市", "report", 2023)


def test_a_write_up_about_several_districts_takes_the_first_as_subject_and_says_so(tmp_path):
    path = document(tmp_path / "n.pdf", "中职毕业生升学率创新高 北京多区发布质量报告",
                    "海淀区中职学校毕业生1500人，升学率80.5%。", "朝阳区2023年中职毕业生1200人，升学920人。",
                    "来源：北京日报　2024-02-01")
    meta = meta_of(path)
    assert (meta.subject, meta.level, meta.admin_code, meta.document_type) == ("海淀区", "county", "110108", "news")
    assert "朝阳区" in meta.review_reason
    assert entity_in_text("朝阳区2023年中职毕业生1200人", meta).admin_code == "110105"


def test_place_names_inside_words_are_not_places():
    assert mentions("国家级农村职业教育和成人教育示范县") == []
    assert [m.codes for m in mentions("山东省单县职业中专")][-1] == ("371722",)


def test_a_title_without_a_place_takes_the_place_the_text_names_most(tmp_path):
    path = document(tmp_path / "t.pdf", "中等职业教育质量年度报告（2023年）", "2023年，" + FIGURES,
                    "遵义市中职学校积极服务地方产业，遵义市教育局组织技能大赛，学生赴贵阳市参赛。")
    meta = meta_of(path)
    assert (meta.subject, meta.level, meta.admin_code, meta.review_reason) == ("遵义市", "city", "520300", "")


def test_a_text_speaking_of_its_city_that_names_only_a_province_is_flagged(tmp_path):
    path = document(tmp_path / "t.pdf", "中等职业教育质量年度报告（2023年）", "2023年，" + FIGURES,
                    "全市学生参加贵州省职业院校技能大赛，获一等奖5项。")
    meta = meta_of(path)
    assert (meta.subject, meta.level, meta.admin_code) == ("贵州省", "province", "520000")
    assert "全市" in meta.review_reason


def test_school_code_is_read_from_the_report(tmp_path):
    path = document(tmp_path / "s.pdf", "四川省南充市嘉陵职业高级中学校2023年度质量报告", "学校标识码：4151001234", "学校在校生2300人。")
    assert meta_of(path).school_code == "4151001234"


@pytest.mark.parametrize(
    "issuer, code",
    [("福州市鼓楼区教育局", "350102"), ("南京市鼓楼区教育局", "320106"), ("徐州市教育局", "320302")],
)
def test_a_repeated_district_name_is_decided_by_the_issuing_body(tmp_path, issuer, code):
    path = document(tmp_path / "g.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", f"发布单位：{issuer}",
                    FIGURES.replace("全市", "全区"))
    meta = meta_of(path)
    assert (meta.subject, meta.level, meta.admin_code, meta.review_reason) == ("鼓楼区", "county", code, "")


def test_the_issuing_body_outweighs_a_city_named_in_passing(tmp_path):
    path = document(tmp_path / "g.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", "福州市鼓楼区教育局",
                    FIGURES.replace("全市", "全区"), "学生参加在南京市举办的技能大赛，获一等奖2项。")
    assert meta_of(path).admin_code == "350102"


def test_a_repeated_district_name_with_nothing_to_decide_it_is_flagged_not_guessed(tmp_path):
    path = document(tmp_path / "g.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", FIGURES.replace("全市", "全区"))
    meta = meta_of(path)
    assert (meta.subject, meta.level, meta.admin_code) == ("鼓楼区", "county", "")
    assert "鼓楼区" in meta.review_reason and "福州市" in meta.review_reason and "南京市" in meta.review_reason


def test_entity_in_text_resolves_sub_areas_in_the_subjects_province():
    fuzhou, nanjing = ReportMeta("", "福州市", "city", "350100", 2023, 2023), ReportMeta("", "南京市", "city", "320100", 2023, 2023)
    assert entity_in_text("鼓楼区共有中职学校3所", fuzhou).admin_code == "350102"
    assert entity_in_text("鼓楼区共有中职学校3所", nanjing).admin_code == "320106"
    assert entity_in_text("全市共有中职学校12所", fuzhou) is None
    assert entity_in_text("福州市教育局发布了报告", fuzhou) is None
    assert entity_in_text("截至2023年底，鼓楼区共有中职学校3所", fuzhou).admin_code == "350102"
    lean = ReportMeta("", "乐安县职业中学", "school", "361025", 2020, 2020)
    assert entity_in_text("江西省乐安县职业中学创办于1981年，占地面积68034平方米", lean) is None
    school = entity_in_text("其中，福州旅游职业中专学校在校生2100人", fuzhou)
    assert school is None or school.level == "school"


@pytest.mark.parametrize("area, code", [("320100", "320106"), ("350100", "350102")])
def test_schools_inside_a_report_take_the_repeated_district_of_the_reports_own_area(area, code):
    assert school_at_start("鼓楼区职业技术学校今年招生820人", area).admin_code == code


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: plain_pdf(p, ["增值税电子普通发票", "购买方名称：遵义市职业技术学校", "货物或应税劳务名称：办公用品",
                                 "金额：1200.00元　税额：156.00元", "价税合计（大写）：壹仟叁佰伍拾陆元整"]),
         "not a vocational-education quality report"),
        (lambda p: plain_pdf(p, ["会议纪要", "2023年12月5日召开校务会议，研究招生工作。"]), "not a vocational-education quality report"),
        (lambda p: plain_pdf(p, ["某某化工有限公司2023年度环境质量报告", "废水排放量1200吨，达标率100%。"]),
         "not a vocational-education quality report"),
        (lambda p: document(p, "遵义市职业技术学校2023年度财务审计报告", "资产总额12000万元，负债总额3000万元，审计意见为标准无保留意见。"),
         "not a vocational-education quality report"),
    ],
)
def test_non_reports_are_rejected_with_a_clear_message(tmp_path, make, message):
    path = tmp_path / "x.pdf"
    make(path)
    with pytest.raises(NotAReport) as info:
        meta_of(path)
    assert message in str(info.value) and "x.pdf" in str(info.value)


@pytest.mark.parametrize(
    "text, year",
    [("2018年9月—2019年8月，全校招生", 2019), ("20189月—20198月", 2019), ("2019—2020学年度", 2020),
     ("2019学年全校招生", 2020), ("2023—2024学年，全州", 2024), ("2023届毕业生", 2023)],
)
def test_school_year_expressions_give_the_end_year(text, year):
    assert year_mentions(text)[0][2] == year


@pytest.mark.parametrize(
    "front, year",
    [("发布日期：2025-02-27", 2025), ("普洱市教育体育局\n二○二五年二月", 2025), ("（2018年2月）", 2018), ("20193", None)],
)
def test_issuing_dates(front, year):
    assert issue_year(front) == year


def test_a_year_known_only_from_the_issuing_date_gives_the_year_the_body_describes():
    assert body_year(2025, "2023—2024学年，全州中等职业学校共有20所", issued=True) == 2024
    assert body_year(2025, "全州中等职业学校共有20所", issued=True) == 2024
    # A write-up of "质量2023年度报告" whose figures are all for 2022.
    assert body_year(2023, "发布了质量2023年度报告。2022年毕业生5901人，2022届毕业生升学率96.1%") == 2022
