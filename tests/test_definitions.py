"""The Dagster definitions load, hold the whole lineage, and the sensor reacts to raw/."""

import shutil
import subprocess

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


def test_dbt_resource_overrides_still_match_dagster_dbt():
    """ZhijiaoDbtCli replaces two private DbtCliResource members to save seconds a run: an upgrade that
    renames them, or a dbt executable other than the imported dbt-core, must show up here."""
    from dagster_dbt import DbtCliResource

    from orchestration.defs.transform.dbt import DBT_EXECUTABLE, ZhijiaoDbtCli, dbt_resource

    assert {"_cli_version", "_initialize_dbt_core_adapter"} <= set(vars(DbtCliResource))
    assert {"_cli_version", "_initialize_dbt_core_adapter"} <= set(vars(ZhijiaoDbtCli))
    reported = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    assert f"installed: {dbt_resource._cli_version}" in reported


def test_job_schedule_and_sensor():
    job = defs.resolve_job_def("yearly_refresh")
    assert job.name == "yearly_refresh"
    schedule = defs.resolve_schedule_def("yearly_refresh_schedule")
    assert schedule.cron_schedule == "0 6 1 4 *"
    assert defs.resolve_sensor_def("raw_files_sensor")


def test_sensor_starts_a_run_only_for_files_not_yet_published(tmp_path, monkeypatch):
    import duckdb

    from orchestration.reports.pdf import sha256_file

    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    raw.mkdir()
    warehouse.mkdir()
    monkeypatch.setenv("ZHIJIAO_RAW_DIR", str(raw))
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(warehouse))
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", raw)
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    with dg.instance_for_test() as instance:
        # Nothing published yet: the file is new.
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(first.run_requests) == 1
        assert first.run_requests[0].tags["zhijiao/changed_files"] == "000_ad8fa0dc1b023aac.pdf"

        # Published with this file: a first tick (no cursor) and later ticks start nothing.
        with duckdb.connect(str(warehouse / "published.duckdb")) as con:
            con.execute("create table documents as select ? as source_file, ? as sha256",
                        ["000_ad8fa0dc1b023aac.pdf", sha256_file(raw / "000_ad8fa0dc1b023aac.pdf")])
        quiet = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert not quiet.run_requests and "last publish" in quiet.skip_message
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=quiet.cursor))
        assert not again.run_requests
        (raw / "000_ad8fa0dc1b023aac.pdf").touch()  # a new mtime, the same content
        assert not sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=quiet.cursor)).run_requests

        shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", raw)
        changed = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=quiet.cursor))
        assert [r.tags["zhijiao/changed_files"] for r in changed.run_requests] == ["001_cbbc57b736b8bf1c.pdf"]


def test_parsing_is_partitioned_by_batch(tmp_path, monkeypatch):
    """One parse batch can run on its own (a backfill per batch on a bigger deployment); the loader
    reports files whose batch has not run, and the refresh job covers every batch in one run."""
    from orchestration.defs.automation.jobs import refresh_lock
    from orchestration.defs.ingest.assets import parsed_reports, report_files
    from orchestration.paths import parse_cache_dir
    from orchestration.intake.inventory import inventory, parse_batch_keys, parse_batch_of
    from orchestration.intake.outcomes import collect_outcomes

    raw = tmp_path / "raw"
    raw.mkdir()
    for prefix, pdf in zip(("", "", "x_"), sorted(RAW.glob("*.pdf"))[:3]):
        shutil.copy(pdf, raw / (prefix + pdf.name))  # two batches: files-0-3 and files-u-z
    monkeypatch.setenv("ZHIJIAO_RAW_DIR", str(raw))
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    batches = {p.name: parse_batch_of(p.name) for p in raw.iterdir()}
    assert len(parsed_reports.partitions_def.get_partition_keys()) == len(parse_batch_keys()) >= 8
    # A key says which files it holds, from the first character of their names.
    assert set(batches.values()) == {"files-0-3", "files-u-z"}
    assert [parse_batch_of(n) for n in ("d01_handan_2018.pdf", "Zhangjiakou.pdf", "河南省2023年报告.pdf", "_x.pdf")] == [
        "files-c-d", "files-u-z", "files-cjk-2", "files-other"]
    batch = batches["000_ad8fa0dc1b023aac.pdf"]

    with dg.instance_for_test() as instance:
        result = dg.materialize([report_files, parsed_reports], partition_key=batch, instance=instance,
                                resources={"refresh_lock": refresh_lock})
        assert result.success
        assert instance.get_materialized_partitions(dg.AssetKey("parsed_reports")) == {batch}

    outcomes = {o.file.file_name: o for o in collect_outcomes(inventory(raw), parse_cache_dir())}
    for name, outcome in outcomes.items():
        if batches[name] == batch:
            assert outcome.file.status == "loaded" and outcome.facts
        else:
            assert outcome.file.status == "not_parsed" and batches[name] in outcome.file.reason

    tags = defs.resolve_job_def("yearly_refresh").tags
    assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == (
        parse_batch_keys()[0], parse_batch_keys()[-1])
