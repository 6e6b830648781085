"""Education statistics documents of all levels (教育事业发展统计公报, 教育统计年鉴, 教育概况): 中职
is one paragraph, one section, one table row or one column among 学前、小学、初中、高中、高校. They are
recognised by their kind, and only the 中职 figures are read: other levels' figures never leak into
中职 indicators. Real PDFs (reportlab) through the real parser."""

from __future__ import annotations

import pytest

from orchestration.extraction.documents import NotAReport, report_meta
from orchestration.extraction.extract import extract_report
from orchestration.extraction.levels import level_of, statistics_document
from orchestration.reports.pdf import parse_pdf
from pdf_factory import ReportWriter

YEAR_HEADER = ["指标", "2020年", "2019年"]
WIDTHS = [200, 110, 110]


def _read(path):
    parsed = parse_pdf(path)
    meta = report_meta(parsed, path.name)
    facts = extract_report(parsed, path.name, meta=meta)
    return meta, {(f.indicator, f.period_year): f.value for f in facts}, facts


def test_prose_bulletin_reads_only_the_vocational_paragraph(tmp_path):
    writer = ReportWriter(tmp_path / "b.pdf", "2023年淮安市教育事业发展统计公报")
    writer.paragraph("2023年，全市共有各级各类学校1234所，在校生58.6万人，专任教师4.2万人。")
    writer.heading("一、学前教育")
    writer.paragraph("全市共有幼儿园456所，在园幼儿10.2万人，专任教师6789人。")
    writer.heading("二、义务教育")
    writer.paragraph("全市共有小学210所，招生5.1万人，在校生30.1万人，毕业生4.9万人；专任教师18765人。"
                     "初中学校98所，招生4.8万人，在校生14.2万人，毕业生4.5万人。")
    writer.heading("三、高中阶段教育")
    writer.paragraph("全市共有普通高中35所，招生2.3万人，在校生6.8万人，毕业生2.1万人，专任教师5432人。")
    writer.paragraph("全市共有中等职业学校12所，招生5432人，在校生15678人，毕业生4321人，专任教师1098人。")
    writer.heading("四、高等教育")
    writer.paragraph("全市共有普通高校9所，招生3.2万人，在校生11.5万人，毕业生2.9万人。")
    meta, facts, _ = _read(writer.save())
    assert (meta.document_type, meta.subject, meta.body_year) == ("bulletin", "淮安市", 2023)
    assert facts == {
        ("schools_total", 2023): 12, ("enrollment_new", 2023): 5432, ("students_total", 2023): 15678,
        ("graduates_total", 2023): 4321, ("teachers_fulltime", 2023): 1098,
    }


def test_one_sentence_of_all_levels(tmp_path):
    """A county bulletin that lists the levels in one sentence: "初中学校30所" is not a 中职 school."""
    writer = ReportWriter(tmp_path / "b.pdf", "2022年睢宁县教育事业统计公报")
    writer.paragraph("2022年，全县共有普通高中8所，招生6210人，在校生18234人；中等职业学校3所，招生2345人，"
                     "在校生6789人，毕业生1987人；初中学校30所，在校生41234人；小学学校85所，在校生98765人。")
    meta, facts, _ = _read(writer.save())
    assert meta.level == "county"
    assert facts == {("schools_total", 2022): 3, ("enrollment_new", 2022): 2345,
                     ("students_total", 2022): 6789, ("graduates_total", 2022): 1987}


def test_sections_headed_by_level(tmp_path):
    """Under "二、普通高中教育" the words 全市共有学校 are 普通高中's; under "三、中等职业教育" they are 中职's."""
    writer = ReportWriter(tmp_path / "b.pdf", "2023年如皋市教育事业发展统计公报")
    writer.paragraph("2023年，全市共有各级各类学校245所，在校学生18.6万人，教职工1.5万人。")
    writer.heading("一、普通高中教育")
    writer.paragraph("全市共有学校11所，招生8123人，在校学生24567人，毕业生7890人，专任教师2109人。")
    writer.heading("二、中等职业教育")
    writer.paragraph("全市招生3456人，在校学生9876人，毕业生3012人。教职工876人，其中专任教师712人。")
    writer.heading("三、特殊教育")
    writer.paragraph("全市共有特殊教育学校2所，在校学生432人。")
    meta, facts, _ = _read(writer.save())
    assert meta.document_type == "bulletin"
    assert facts == {("enrollment_new", 2023): 3456, ("students_total", 2023): 9876,
                     ("graduates_total", 2023): 3012, ("staff_total", 2023): 876,
                     ("teachers_fulltime", 2023): 712}


def test_yearbook_table_with_the_measure_in_captions(tmp_path):
    """A yearbook page: sub-tables of all levels, the measure only in the caption above each, newest
    year first; 中等职业学校 is one row, its school types (技工学校) indented below."""
    writer = ReportWriter(tmp_path / "y.pdf", "镇江年鉴（2021）· 教育事业基本情况")
    writer.paragraph("表9—3 各级各类教育基本情况")
    writer.paragraph("一、学校数（计量单位：所）")
    writer.table([YEAR_HEADER, ["普通高校", "7", "7"], ["中等职业学校", "14", "15"], ["  技工学校", "5", "5"],
                  ["普通高中", "28", "28"], ["小学", "140", "142"]], widths=WIDTHS)
    writer.paragraph("二、在校学生数（计量单位：人）")
    writer.table([YEAR_HEADER, ["普通高校", "98765", "95432"], ["中等职业学校", "23456", "24567"],
                  ["  技工学校", "8765", "8654"], ["普通高中", "34567", "33456"]], widths=WIDTHS)
    writer.paragraph("三、毕业生数（计量单位：人）")
    writer.table([YEAR_HEADER, ["中等职业学校", "7654", "7890"], ["普通高中", "11234", "10987"]], widths=WIDTHS)
    meta, facts, found = _read(writer.save())
    assert (meta.document_type, meta.subject, meta.body_year) == ("yearbook", "镇江市", 2020)
    assert facts == {
        ("schools_total", 2020): 14, ("schools_total", 2019): 15,
        ("students_total", 2020): 23456, ("students_total", 2019): 24567,
        ("graduates_total", 2020): 7654, ("graduates_total", 2019): 7890,
    }
    assert all(f.method == "table" and f.snippet.startswith("中等职业学校") for f in found)


def test_levels_as_rows_with_measures_as_columns(tmp_path):
    writer = ReportWriter(tmp_path / "y.pdf", "2022年泰州市教育概况")
    writer.paragraph("2022年全市教育事业基本情况如下表。")
    writer.table([["类别", "学校数（所）", "招生数（人）", "在校生数（人）", "毕业生数（人）", "专任教师（人）"],
                  ["普通高校", "6", "31234", "98765", "27654", "4321"],
                  ["中等职业学校", "17", "12345", "34567", "10987", "2345"],
                  ["普通高中", "33", "21098", "62345", "19876", "5678"],
                  ["初中", "120", "45678", "134567", "43210", "10987"]], widths=[80, 70, 70, 70, 70, 70])
    meta, facts, _ = _read(writer.save())
    assert meta.document_type == "bulletin"
    assert facts == {("schools_total", 2022): 17, ("enrollment_new", 2022): 12345, ("students_total", 2022): 34567,
                     ("graduates_total", 2022): 10987, ("teachers_fulltime", 2022): 2345}


def test_levels_as_columns(tmp_path):
    writer = ReportWriter(tmp_path / "c.pdf", "2022年宿迁市教育概况")
    writer.paragraph("2022年全市教育事业基本情况见下表。")
    writer.table([["指标", "小学", "初中", "普通高中", "中等职业学校", "普通高校"],
                  ["学校数（所）", "260", "130", "30", "11", "4"],
                  ["招生数（人）", "61234", "55432", "23456", "9876", "15432"],
                  ["在校生数（人）", "356789", "165432", "67890", "27654", "54321"],
                  ["专任教师（人）", "21098", "13456", "5678", "1876", "3210"]],
                 widths=[90, 60, 60, 70, 80, 70])
    meta, facts, _ = _read(writer.save())
    assert facts == {("schools_total", 2022): 11, ("enrollment_new", 2022): 9876,
                     ("students_total", 2022): 27654, ("teachers_fulltime", 2022): 1876}


def test_a_bulletin_without_vocational_education_is_no_report(tmp_path):
    writer = ReportWriter(tmp_path / "n.pdf", "2023年某某市教育事业发展统计公报")
    writer.heading("一、义务教育")
    writer.paragraph("全市共有小学210所，招生5.1万人，在校生30.1万人；初中学校98所，在校生14.2万人。")
    writer.heading("二、普通高中教育")
    writer.paragraph("全市共有普通高中35所，招生2.3万人，在校生6.8万人。")
    with pytest.raises(NotAReport):
        report_meta(parse_pdf(writer.save()), "n.pdf")


@pytest.mark.parametrize("label, level", [
    ("中等职业学校", "vocational"), ("（四）中等职业教育", "vocational"), ("中职", "vocational"),
    ("二、普通高中教育", "other"), ("普通高校", "other"), ("小学", "other"), ("幼儿园", "other"),
    ("三、高中阶段教育", None), ("  技工学校", None), ("成人中专", None), ("学校数（所）", None), ("二、学生发展", None),
])
def test_level_words(label, level):
    assert level_of(label) == level


@pytest.mark.parametrize("title, kind", [
    ("2023年淮安市教育事业发展统计公报", "bulletin"), ("南京年鉴（2015）· 教育事业基本情况", "yearbook"),
    ("2022年宿迁市教育概况", "bulletin"), ("2023年新乡市职业教育质量年度报告", None),
])
def test_statistics_document_titles(title, kind):
    assert statistics_document(title) == kind
