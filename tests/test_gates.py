"""GX gates: real suites, real validations, and a failing gate that blocks publication."""

import shutil

import duckdb
from conftest import RAW

from orchestration.cli import main
from orchestration.quality.gates import gated_tables, validate
from orchestration.warehouse.store import read_table


def test_suites_exist_for_staged_facts_and_every_mart():
    assert {"stg_facts", "school_year", "county_year", "city_year", "province_year", "yearly_comparison"} <= set(gated_tables())


def test_gates_pass_on_the_published_marts(refreshed):
    for table in ("school_year", "city_year", "stg_facts"):
        result = validate(table, read_table(refreshed["build"], table))
        assert result.success, result.summary()


def test_a_gate_fails_on_an_injected_bad_row(refreshed):
    frame = read_table(refreshed["build"], "city_year")
    bad = frame.iloc[[0]].copy()
    bad["satisfaction_students"] = 189.2
    bad["students_total"] = -5
    bad["entity_name"] = "测试市"
    result = validate("city_year", __import__("pandas").concat([frame, bad]))
    assert not result.success
    # The range rules run on the mart's cells as rows: a failure still names the column and the entity.
    year = int(bad["period_year"].iloc[0])
    assert any(f"测试市 {year}: satisfaction_students 189.2 outside 0–100" in f for f in result.failures)
    assert any(f"测试市 {year}: students_total -5 outside 0–∞" in f for f in result.failures)

    teachers = frame.iloc[[0]].copy()
    teachers["staff_total"], teachers["teachers_fulltime"], teachers["entity_name"] = 100, 150, "测试市"
    result = validate("city_year", __import__("pandas").concat([frame, teachers]))
    assert not result.success
    # In plain numbers, no NumPy reprs.
    assert any(f"测试市 {year}: staff_total 100 < teachers_fulltime 150" in f for f in result.failures)
    assert not any("np." in f for f in result.failures)


def test_a_failing_gate_blocks_publication_and_keeps_the_published_file(warehouse_env, monkeypatch):
    raw = warehouse_env / "raw"
    shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", raw)
    assert main(["refresh"]) == 0
    published = warehouse_env / "warehouse" / "published.duckdb"
    before = published.read_bytes()

    # A steward "accepts" more full-time teachers (2900) than the city has staff (2652): plausible alone,
    # so the override loads, but the table-level gate must stop it reaching analysts. The report is
    # the only one, so setting it aside would publish nothing: publication is blocked instead.
    overrides = warehouse_env / "overrides.csv"
    overrides.write_text(
        "source_file,entity,period_year,indicator,action,corrected_value,reviewer,note\n"
        "001_cbbc57b736b8bf1c.pdf,新乡市,2023,teachers_fulltime,accept_value,2900,test,typo\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(overrides))
    assert main(["refresh"]) == 1
    assert published.read_bytes() == before
    # The gate report names the gate, the expectation and the bad value.
    report = (warehouse_env / "warehouse" / "gate_report" / "index.html").read_text(encoding="utf-8")
    failed = report[report.index('id="city_year"'):]
    assert "FAIL" in failed and "teachers_fulltime" in failed and "2900" in failed
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select teachers_fulltime from city_year where entity_name = '新乡市' and period_year = 2023").fetchone() == (2283,)


def test_a_bad_overrides_file_is_reported(warehouse_env, monkeypatch, capsys):
    shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", warehouse_env / "raw")
    overrides = warehouse_env / "overrides.csv"
    overrides.write_text("source_file,entity,period_year,indicator,action,corrected_value,reviewer,note\n"
                         "x.pdf,新乡市,2023,no_such_code,dismiss,,me,\n", encoding="utf-8")
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(overrides))
    assert main(["refresh"]) == 1
    out = capsys.readouterr().out
    assert "no_such_code" in out and "line 2" in out


def test_generated_dbt_files_and_suites_match_the_catalog():
    from orchestration.warehouse.dbt_codegen import generated_files

    stale = [str(path) for path, text in generated_files().items() if path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `zhijiao codegen`: {stale}"
