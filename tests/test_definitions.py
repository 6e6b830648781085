"""The Dagster definitions load, hold the whole lineage, and the sensor reacts to raw/."""

import shutil

import dagster as dg
from conftest import RAW

from orchestration.definitions import defs


def test_definitions_load_with_the_whole_lineage():
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"report_files", "parsed_reports", "report_documents", "indicator_facts", "steward_overrides"} <= keys
    assert {"stg_documents", "stg_facts", "int_facts_checked", "int_facts_chosen", "int_entities_resolved",
            "int_areas_rolled_up", "school_year", "county_year", "city_year", "province_year",
            "yearly_comparison", "data_quality_issues", "published_warehouse"} <= keys
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey("indicator_facts") in graph.get(dg.AssetKey("stg_facts")).parent_keys
    assert dg.AssetKey("school_year") in graph.get(dg.AssetKey("published_warehouse")).parent_keys


def test_gates_are_blocking_asset_checks():
    checks = [c for c in defs.asset_checks or []]
    specs = [spec for c in checks for spec in c.check_specs]
    assert len(specs) >= 7
    assert all(spec.blocking for spec in specs)
    assert {s.asset_key.to_user_string() for s in specs} >= {"stg_facts", "school_year", "province_year"}


def test_job_schedule_and_sensor():
    job = defs.resolve_job_def("yearly_refresh")
    assert job.name == "yearly_refresh"
    schedule = defs.resolve_schedule_def("yearly_refresh_schedule")
    assert schedule.cron_schedule == "0 6 1 4 *"
    assert defs.resolve_sensor_def("raw_files_sensor")


def test_sensor_requests_a_run_when_raw_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIJIAO_RAW_DIR", str(tmp_path))
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", tmp_path)
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    with dg.instance_for_test() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(first.run_requests) == 1
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor))
        assert not again.run_requests
        shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", tmp_path)
        changed = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor))
        assert len(changed.run_requests) == 1
