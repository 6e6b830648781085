"""Scanned reports and tables pasted as pictures are read, not turned away: scanned copies of the
samples (rendered, tilted, grainy, JPEG) and a born-digital report whose table is a picture, through
a real refresh (Dagster, the parse workers, RapidOCR, dbt, GX), scored against the gold."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pypdfium2 as pdfium
import pytest
from conftest import GOLD, RAW, refresh_into
from pdf_factory import city_report
from scans import report_with_table_picture, scanned_copy

from orchestration.cli import main
from orchestration.extraction.catalog import load_catalog
from orchestration.extraction.extract import read_report
from orchestration.extraction.fact import CONFIDENCE_THRESHOLD
from orchestration.intake.parse_cache import PARSER_VERSION, parse_cached
from orchestration.reports.ocr import corrected, engine_version, regions_to_read
from orchestration.reports.pdf import sha256_file

TABLE_REPORT = "900_table_picture.pdf"
TABLE_ROWS = [["指标", "单位", "2023年"], ["在校生数", "人", "3456"], ["招生数", "人", "1208"],
              ["专任教师数", "人", "215"], ["毕业生就业率", "%", "97.6"]]


def _table_report(path):
    return report_with_table_picture(
        path, "原阳县职业教育中心质量年度报告（2023年）",
        ["2023年，学校毕业生1102人，教职工260人。", "学校主要办学指标见表1。"],
        "表1 学校基本办学指标", TABLE_ROWS)


def _key_set(rows) -> set[tuple]:
    return {(e, int(y), i, round(float(v), 4)) for e, y, i, v in rows}


def _gold(name: str) -> set[tuple]:
    with open(GOLD / name.replace(".pdf", ".csv"), encoding="utf-8") as handle:
        return _key_set((r["entity"], r["period_year"], r["indicator"], r["value"]) for r in csv.DictReader(handle))


def _build_facts(warehouse, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse / "build.duckdb"), read_only=True) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def scanned_refresh(tmp_path_factory):
    """One refresh of scanned copies of the five samples and the image-table report."""
    root = tmp_path_factory.mktemp("scans")
    raw = root / "raw"
    raw.mkdir()
    for seed, pdf in enumerate(sorted(RAW.glob("*.pdf"))):
        scanned_copy(pdf, raw / pdf.name, seed=seed)
    _table_report(raw / TABLE_REPORT)
    code, output = refresh_into(raw, root / "warehouse")
    return {"code": code, "output": output, "warehouse": root / "warehouse", "raw": raw}


@pytest.mark.slow
def test_scanned_samples_are_read_nearly_as_well_as_the_born_digital_ones(scanned_refresh):
    assert scanned_refresh["code"] == 0, scanned_refresh["output"]
    warehouse = scanned_refresh["warehouse"]
    documents = dict(_build_facts(warehouse, "select file_name, status from raw.documents"))
    assert set(documents.values()) == {"loaded"}, documents
    pages = _build_facts(warehouse, "select file_name, page_count, ocr_pages, page_problems from raw.documents "
                                    "where file_name <> ?", TABLE_REPORT)
    assert all(count == ocr and not problems for _, count, ocr, problems in pages), pages
    assert "OCR pages" in scanned_refresh["output"] and "OCR read 78 page(s) of 6 file(s)" in scanned_refresh["output"]
    recalls, catalog = [], load_catalog()
    for name in sorted(p.name for p in GOLD.glob("*.csv")):
        name = name.replace(".csv", ".pdf")
        gold = _gold(name)
        born = {(f.entity, f.period_year, f.indicator, round(f.value, 4)) for f in read_report(RAW / name)[2]
                if f.confidence >= CONFIDENCE_THRESHOLD}
        # raw.facts also holds components (parts that only feed consistency checks): not published
        scanned = {key for key in _key_set(_build_facts(
            warehouse, "select entity, period_year, indicator, value from raw.facts where source_file = ? "
                       "and confidence >= ?", name, CONFIDENCE_THRESHOLD)) if catalog[key[2]].published}
        recalls.append((len(gold & born) / len(gold), len(gold & scanned) / len(gold)))
        precision = len(gold & scanned) / len(scanned)
        assert precision >= 0.97, (name, precision, sorted(scanned - gold))
    born_recall = sum(b for b, _ in recalls) / len(recalls)
    scanned_recall = sum(s for _, s in recalls) / len(recalls)
    assert scanned_recall >= 0.9 * born_recall, recalls
    methods = _build_facts(warehouse, "select distinct method from raw.facts where source_file <> ?", TABLE_REPORT)
    assert {m for (m,) in methods} <= {"prose_ocr", "table_ocr"}, methods
    reasons = _build_facts(warehouse, "select count(*) from raw.facts where source_file <> ? and "
                           "confidence_reason not like '%read by OCR%'", TABLE_REPORT)
    assert reasons == [(0,)]


@pytest.mark.slow
def test_a_table_pasted_as_a_picture_is_read_as_a_table(scanned_refresh):
    facts = _build_facts(scanned_refresh["warehouse"], "select indicator, value, method from raw.facts "
                         "where source_file = ?", TABLE_REPORT)
    by_indicator = {indicator: (value, method) for indicator, value, method in facts}
    assert by_indicator["students_total"] == (3456, "table_ocr")
    assert by_indicator["enrollment_new"] == (1208, "table_ocr")
    assert by_indicator["teachers_fulltime"] == (215, "table_ocr")
    assert by_indicator["employment_rate"] == (97.6, "table_ocr")
    assert by_indicator["graduates_total"] == (1102, "prose")  # the text layer is read as ever
    published = duckdb.connect(str(scanned_refresh["warehouse"] / "published.duckdb"), read_only=True)
    with published:
        rows = published.execute("select period_year, students_total from school_year "
                                 "where entity_name = '原阳县职业教育中心'").fetchall()
    assert rows == [(2023, 3456)]


def _mixed_report(path, scanned_page_source):
    """Two born-digital pages of a city report, then a scanned page."""
    city_report(path.with_suffix(".born.pdf"), "鹤壁市", "河南省", 2023)
    document = pdfium.PdfDocument(str(path.with_suffix(".born.pdf")))
    scanned = pdfium.PdfDocument(str(scanned_page_source))
    document.import_pages(scanned, [2])
    document.save(str(path))
    document.close()
    scanned.close()
    path.with_suffix(".born.pdf").unlink()
    return path


@pytest.mark.slow
def test_a_page_whose_ocr_times_out_is_reported_and_the_rest_goes_on(warehouse_env, monkeypatch, capsys):
    raw = warehouse_env / "raw"
    scan = scanned_copy(RAW / "001_cbbc57b736b8bf1c.pdf", warehouse_env / "scan.pdf")
    _mixed_report(raw / "950_mixed.pdf", scan)
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", raw)
    monkeypatch.setenv("ZHIJIAO_OCR_PAGE_TIMEOUT_S", "0.001")
    assert main(["refresh"]) == 0
    out = capsys.readouterr().out
    rows = _build_facts(warehouse_env / "warehouse", "select file_name, status, ocr_pages, page_problems "
                                                      "from raw.documents order by file_name")
    assert rows[0][:3] == ("000_ad8fa0dc1b023aac.pdf", "loaded", 0)
    name, status, ocr_pages, problems = rows[1]
    assert (name, status, ocr_pages) == ("950_mixed.pdf", "loaded", 1)
    assert problems.startswith("page 2 (ocr_timeout): OCR took longer than 0.001 s") or \
        problems.startswith("page 3 (ocr_timeout): OCR took longer than 0.001 s"), problems
    assert "ZHIJIAO_OCR_PAGE_TIMEOUT_S" in problems
    assert "Pages OCR could not read" in out and "950_mixed.pdf" in out
    teachers = _build_facts(warehouse_env / "warehouse", "select value from raw.facts where source_file = "
                            "'950_mixed.pdf' and indicator = 'teachers_fulltime'")
    assert teachers == [(2350.0,)]


@pytest.mark.slow
def test_an_ocr_parse_is_cached_by_content_with_the_engine_in_its_key(tmp_path):
    pdf = _table_report(tmp_path / TABLE_REPORT)
    digest = sha256_file(pdf)
    first = parse_cached(pdf, digest, tmp_path / "cache")
    assert [p["status"] for p in first.ocr_pages] == ["read"] and first.tables[0].method == "ocr"
    entry = next((tmp_path / "cache").glob(f"{digest}.v*.json"))
    assert PARSER_VERSION in entry.name and engine_version().startswith("rapidocr-onnxruntime 1.4")
    pdf.unlink()  # a cached parse does not need the file again
    again = parse_cached(pdf, digest, tmp_path / "cache")
    assert again.to_dict() == first.to_dict()


def test_look_alike_misreadings_are_put_right_and_real_words_are_kept():
    assert corrected("升人本科人数45人，月收人2600元") == "升入本科人数45人，月收入2600元"
    assert corrected("就业率9O.5%，人口1O0万") == "就业率90.5%，人口100万"
    assert corrected("人选、人口、引人注目") == "人选、人口、引人注目"


def test_only_pictures_without_a_text_layer_over_them_are_read():
    page = {"width": 595.0, "height": 842.0}
    scan = {"x0": 0, "top": 0, "x1": 595, "bottom": 842}
    logo = {"x0": 20, "top": 20, "x1": 60, "bottom": 50}
    words = [{"x0": 100 + i * 10, "x1": 110 + i * 10, "top": 100, "bottom": 110} for i in range(30)]
    assert regions_to_read([scan, logo], [], page["width"], page["height"]) == [(0, 0, 595, 842)]
    # a scan that carries its own (invisible) text layer is read from that layer
    assert regions_to_read([scan], words, page["width"], page["height"]) == []
