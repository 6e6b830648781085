"""Yearly operation: a new year's reports arrive, the sensor notices, and the comparisons gain that year."""

import shutil

import dagster as dg
import duckdb
from conftest import RAW
from pdf_factory import ReportWriter, school_report

from orchestration.cli import main
from orchestration.definitions import defs


def city_report_2024(path):
    writer = ReportWriter(path, "新乡市职业教育质量年度报告（2024年度）")
    writer.heading("1.1规模和结构")
    writer.paragraph("2023-2024学年，全市中等职业教育招生18500人，在校生4.6万人，独立设置的中等职业学校23所。")
    writer.heading("1.3教师队伍")
    writer.paragraph("2024年，全市中等职业学校教职员工总数2700人，专任教师2300人，生师比为16.8。")
    return writer.save()


def test_a_new_years_reports_flow_into_the_comparisons(warehouse_env, tmp_path):
    raw = warehouse_env / "raw"
    for name in ("000_ad8fa0dc1b023aac.pdf", "001_cbbc57b736b8bf1c.pdf"):
        shutil.copy(RAW / name, raw)
    assert main(["refresh"]) == 0

    sensor = defs.resolve_sensor_def("raw_files_sensor")
    with dg.instance_for_test() as scratch:
        cursor = sensor.evaluate_tick(dg.build_sensor_context(instance=scratch)).cursor
        school_report(raw / "yanjin_2024.pdf", "延津县职业中等专业学校", 2024, 4300, 370, 340, 1250, 97.5, 96.1)
        city_report_2024(raw / "xinxiang_2024.pdf")
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=scratch, cursor=cursor))
    assert len(tick.run_requests) == 1

    # The run the sensor asked for, on the real instance, as the daemon would launch it.
    request = tick.run_requests[0]
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def("yearly_refresh").execute_in_process(
            instance=instance, run_config=request.run_config, tags=request.tags)
    assert result.success

    with duckdb.connect(str(warehouse_env / "warehouse" / "published.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select level, entity_name, value, prev_period_year, prev_value, abs_change, pct_change from yearly_comparison "
            "where indicator = 'students_total' and period_year = 2024 order by level").fetchall()
    assert ("city", "新乡市", 46000.0, 2023, 45100.0, 900.0, 2.0) in rows
    assert ("school", "延津县职业中等专业学校", 4300.0, 2023, 4216.0, 84.0, 1.99) in rows


def test_the_html_report_has_charts_and_chinese_labels(refreshed, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4
    assert "在校生数（人）" in page and "地市级年度比较" in page and "待处理的数据质量问题" in page
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
