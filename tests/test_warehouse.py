"""End to end: raw/ → Dagster job → dbt → GX gates → published.duckdb, and the CLI around it."""

import csv
import filecmp
import os
import re
import shutil
from html.parser import HTMLParser

import duckdb
import pytest
from conftest import RAW

from orchestration.cli import main
from orchestration.extraction.extract import FACT_COLUMNS
from orchestration.quality.gates import gated_tables
from orchestration.warehouse.publication import PUBLISHED_TABLES


def q(refreshed, sql):
    with duckdb.connect(str(refreshed["published"]), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_refresh_publishes(refreshed):
    assert refreshed["exit_code"] == 0
    assert refreshed["published"].exists()
    tables = {r[0] for r in q(refreshed, "select table_name from information_schema.tables")}
    assert tables >= {"documents", "facts", "school_year", "county_year", "city_year", "province_year",
                      "yearly_comparison", "data_quality_issues"}
    assert (refreshed["dir"] / "parquet" / "facts.parquet").exists()


def test_published_marts_hold_the_reported_figures(refreshed):
    assert q(refreshed, "select students_total from school_year where entity_name = '延津县职业中等专业学校' and period_year = 2023") == [(4216,)]
    assert q(refreshed, "select students_total from city_year where entity_name = '新乡市' and period_year = 2023") == [(45100,)]
    assert sorted(q(refreshed, "select period_year from city_year where entity_name = '四平市'")) == [(2019,), (2020,)]
    assert q(refreshed, "select graduates_total from city_year where entity_name = '庆阳市' and period_year = 2024") == [(1843,)]
    assert q(refreshed, "select students_total from county_year where entity_name = '凉州区' and period_year = 2022") == [(10266,)]
    provinces = {r[0] for r in q(refreshed, "select entity_name from province_year")}
    assert {"河南省", "吉林省", "甘肃省"} <= provinces


def test_every_published_fact_has_provenance(refreshed):
    assert q(refreshed, "select count(*) from facts where page is null or snippet is null or source_file is null") == [(0,)]
    assert q(refreshed, "select count(*) from facts")[0][0] > 150
    columns = {r[0] for r in q(refreshed, "select column_name from information_schema.columns where table_name = 'facts'")}
    assert {"source_file", "page", "snippet", "method", "unit"} <= columns


def test_area_rows_say_whether_they_are_reported_or_rolled_up(refreshed):
    assert q(refreshed, "select basis from city_year where entity_name = '新乡市' and period_year = 2023") == [("reported",)]
    henan = q(refreshed, "select basis, cities_covered, cities_total, students_total from province_year where entity_name = '河南省' and period_year = 2023")
    assert henan == [("rollup", 1, 17, 45100 + 4216)] or henan[0][:3] == ("rollup", 1, 17)


def test_conflicts_are_kept_and_flagged(refreshed):
    # 凉州区's report states its graduates as 2603 and as 2602: one reaches the mart, the other waits
    # for a steward with the reason.
    rows = q(refreshed, "select rule, detail, value from data_quality_issues where entity_name = '凉州区' and indicator = 'graduates_total'")
    assert rows and rows[0][0] in ("conflicting_values", "needs_review") and "2603" in str(rows) and "2602" in str(rows)


def test_yearly_comparison_has_previous_years(refreshed):
    rows = q(refreshed, "select prev_period_year, prev_value, abs_change from yearly_comparison "
                        "where entity_name = '四平市' and indicator = 'student_teacher_ratio' and period_year = 2020")
    assert rows == [(2019, 15.3, pytest.approx(12.7 - 15.3))]


def test_indicator_columns_carry_chinese_comments(refreshed):
    rows = q(refreshed, "select comment from duckdb_columns() where table_name = 'city_year' and column_name = 'students_total'")
    assert rows == [("在校生数（人）: students total, in persons",)]


def test_every_published_table_and_column_has_a_chinese_and_english_comment(refreshed):
    def bilingual(text):
        return bool(text) and re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]{3}", text)

    tables = q(refreshed, "select table_name, comment from duckdb_tables() where not internal")
    assert len(tables) == len(PUBLISHED_TABLES) and all(bilingual(c) for _, c in tables), tables
    columns = q(refreshed, "select table_name, column_name, comment from duckdb_columns() where not internal")
    assert len(columns) > 250
    assert [(t, c) for t, c, comment in columns if not bilingual(comment)] == []


def test_tables_and_describe_list_what_is_published(refreshed, monkeypatch, capsys):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["tables"]) == 0
    out = capsys.readouterr().out
    assert "data_quality_issues" in out and "数据质量问题" in out and "│ 5    │" in out
    assert main(["describe", "data_quality_issues"]) == 0
    out = capsys.readouterr().out
    assert "status" in out and "VARCHAR" in out and "处理状态" in out
    assert main(["describe", "no_such_table"]) == 1
    assert "city_year" in capsys.readouterr().out


def test_query_shows_wide_results_like_the_duckdb_cli(refreshed, monkeypatch, capsys):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["query", "select * from city_year order by entity_name, period_year"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    header = lines[1]
    assert "entity_name" in header and "provincial_awards_third" in header and "…" in header
    assert "新乡市" in "".join(lines)  # cells are whole, not wrapped into 1–2 characters
    assert len(lines) == 8 + 5  # a row per line
    assert lines[-1].startswith("8 row(s), 62 column(s)") and "shown" in lines[-1] and "--csv" in lines[-1]


def test_an_unexpected_error_is_one_line_and_the_traceback_needs_verbose(refreshed, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    not_a_folder = tmp_path / "exports"
    not_a_folder.write_text("a file where a folder should be")
    assert main(["export", "--out", str(not_a_folder)]) == 1
    out = capsys.readouterr().out
    assert "Error:" in out and "--verbose" in out and "Traceback" not in out
    assert main(["export", "--out", str(not_a_folder), "--verbose"]) == 1
    assert "Traceback" in capsys.readouterr().out


def test_query_command_is_read_only(refreshed, monkeypatch, capsys):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    assert main(["query", "select count(*) as n from documents", "--csv"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["n", "5"]
    assert main(["query", "delete from documents"]) == 1
    assert q(refreshed, "select count(*) from documents") == [(5,)]


def test_extract_command_writes_the_documented_columns(tmp_path):
    out = tmp_path / "facts.csv"
    assert main(["extract", str(RAW / "000_ad8fa0dc1b023aac.pdf"), "--out", str(out)]) == 0
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0].keys()) == FACT_COLUMNS
    assert any(r["indicator"] == "students_total" and float(r["value"]) == 4216 for r in rows)


def test_export_writes_one_file_per_table(refreshed, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    assert main(["export", "--format", "parquet", "--out", str(tmp_path / "x")]) == 0
    assert len(list((tmp_path / "x").glob("*.parquet"))) == len(PUBLISHED_TABLES)


def test_dbt_build_on_a_test_warehouse(tmp_path):
    """dbt build (all models and tests) on a build database loaded from the sample facts."""
    from orchestration.defs.transform.dbt import dbt_resource
    from orchestration.intake.inventory import inventory
    from orchestration.intake.workers import process_all
    from orchestration.warehouse.overrides import load_overrides
    from orchestration.warehouse.store import frames, load_raw

    db = tmp_path / "build.duckdb"
    documents, facts = frames(process_all(inventory(RAW), None, workers=1))
    load_raw(db, {"documents": documents, "facts": facts, "fact_overrides": load_overrides()})
    env = dict(os.environ, ZHIJIAO_BUILD_DB=str(db))
    os.environ.update(env)
    invocation = dbt_resource.cli(["build"], target_path=tmp_path / "target", raise_on_error=False).wait()
    assert invocation.is_successful()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from school_year").fetchone()[0] >= 3


def test_review_flags_are_published_with_provenance(refreshed):
    issues = {r[0]: r for r in q(refreshed, "select rule, entity_name, indicator, value, detail, page, snippet from data_quality_issues "
                                          "where rule in ('parts_do_not_add_up', 'rate_disagrees_with_counts')")}
    parts = issues["parts_do_not_add_up"]
    assert parts[1:4] == ("新乡市", "direct_employment_total", 5342) and "5349" in parts[4]
    rate = issues["rate_disagrees_with_counts"]
    assert rate[1] == "凉州区" and "248" in rate[4] and "320" in rate[4] and "72.1" in rate[4]
    assert all(r[5] >= 1 and r[6] for r in issues.values())
    # Review flags are still published: the figure stays in the mart.
    assert q(refreshed, "select direct_employment_total from city_year where entity_name = '新乡市' and period_year = 2023") == [(5342,)]


class _References(HTMLParser):
    """Every URL a page would load (scripts, styles, images, frames) and every script."""

    def __init__(self):
        super().__init__()
        self.loads, self.scripts, self.anchors = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        for name in ("src", "href", "data"):
            if attrs.get(name) and tag != "a":
                self.loads.append(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])


def test_the_gate_report_lists_every_gate_and_opens_offline(refreshed):
    index = refreshed["dir"] / "gate_report" / "index.html"
    page = index.read_text(encoding="utf-8")
    refs = _References()
    refs.feed(page)
    # Nothing to fetch: no scripts, no stylesheets or images from elsewhere, links only within the page.
    assert refs.scripts == 0 and refs.loads == []
    assert all(a.startswith("#") for a in refs.anchors)
    assert "http://" not in page and "https://" not in page
    for table in gated_tables():
        assert f'href="#{table}"' in page and f'id="{table}"' in page
    assert "every gate passed" in page and "FAIL" not in page


def test_dbt_build_folders_do_not_pile_up(refreshed):
    from orchestration.defs.transform.dbt import DBT_TARGET_DIR, KEPT_BUILDS, zhijiao_dbt_models

    builds = list(DBT_TARGET_DIR.glob(f"{zhijiao_dbt_models.op.name}-*"))
    assert 1 <= len(builds) <= KEPT_BUILDS
    assert any((build / "run_results.json").exists() for build in builds)


def test_a_first_refresh_at_a_new_warehouse_path_reuses_dbts_saved_parse(warehouse_env):
    """dbt parses the whole project again (~2 s) when its profile differs from its saved parse's. The
    profile names the build database relative to the warehouse folder dbt runs in, so a warehouse at
    any path starts from the saved parse; a build's own saved state is kept for the next one."""
    from orchestration.defs.transform.dbt import DBT_TARGET_DIR, PARTIAL_PARSE_FILE, zhijiao_dbt_models

    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", warehouse_env / "raw")
    assert main(["refresh"]) == 0
    latest = max(DBT_TARGET_DIR.glob(f"{zhijiao_dbt_models.op.name}-*"), key=lambda p: p.stat().st_mtime)
    parse_events = re.findall(r'"name": "(\w*Pars\w*)"', (latest / "dbt.log").read_text(encoding="utf-8"))
    assert "PartialParsingEnabled" in parse_events and "UnableToPartialParse" not in parse_events, parse_events
    assert not (warehouse_env / "warehouse" / "target").exists()  # dbt's logs stay with its other artifacts
    assert filecmp.cmp(latest / PARTIAL_PARSE_FILE, DBT_TARGET_DIR / PARTIAL_PARSE_FILE, shallow=False)


def test_a_cold_refresh_prints_progress_and_a_short_summary(refreshed):
    lines = refreshed["output"].splitlines()
    assert len(lines) <= 60, refreshed["output"]
    assert lines[0].startswith("Refreshing the warehouse from")
    text = refreshed["output"]
    for stage in ("files parsed  5/5", "dbt models", "gates         10/10", "published     1/1"):
        assert stage in text
    assert "Published " in text and "START sql" not in text  # dbt's per-node log only with --verbose
