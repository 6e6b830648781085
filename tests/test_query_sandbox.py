"""`zhijiao query` is a sandbox: the published tables can be read, nothing else reached or changed."""

from __future__ import annotations

import site

import duckdb
import pytest

from orchestration.cli import main


@pytest.fixture
def published(warehouse_env):
    warehouse = warehouse_env / "warehouse"
    (warehouse / "parquet").mkdir(parents=True)
    (warehouse / "parse_cache").mkdir()
    with duckdb.connect(str(warehouse / "published.duckdb")) as con:
        con.execute("create table facts as select '新乡市' as entity_name, 2023 as period_year, 45100.0 as value")
    with duckdb.connect(str(warehouse / "build.duckdb")) as con:
        con.execute("create table facts as select 1 as id")
    return warehouse


def test_query_reads_published_tables(published, capsys):
    assert main(["query", "select entity_name, value from facts", "--csv"]) == 0
    assert "新乡市,45100.0" in capsys.readouterr().out


@pytest.mark.parametrize("attempt", [
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from glob('/etc/*')",
    "copy facts to '{warehouse}/parquet/facts.parquet' (format parquet)",
    "copy (select 'x') to '{warehouse}/parse_cache/outcome.json'",
    "copy (select 'import os') to '{site_packages}/zz_hostile.pth' (header false)",
    "export database '{warehouse}/dump'",
    "attach '{warehouse}/build.duckdb' as build",
    "attach '{warehouse}/build.duckdb' as build; drop table build.facts",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "reset lock_configuration",
    "set memory_limit = '100GB'",
    "create table hostile as select 1",
    "delete from facts",
])
def test_query_escapes_are_refused(published, capsys, attempt):
    sql = attempt.format(warehouse=published, site_packages=site.getsitepackages()[0])
    before = {p.name for p in published.rglob("*")}
    assert main(["query", sql]) == 1
    assert "query failed" in capsys.readouterr().out
    assert {p.name for p in published.rglob("*")} == before
    with duckdb.connect(str(published / "build.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from facts").fetchone()[0] == 1
    with duckdb.connect(str(published / "published.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from facts").fetchone()[0] == 1
    assert not (published.parent / "zz_hostile.pth").exists()
