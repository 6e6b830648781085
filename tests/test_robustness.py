"""Bad input, quarantine, crashes and concurrent readers, with real files, processes and databases."""

import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pytest
from conftest import RAW, REPO
from pdf_factory import image_only_pdf, impossible_report, long_report, plain_pdf

from orchestration.cli import main


def published(env):
    return env / "warehouse" / "published.duckdb"


def rows(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def refresh_process(**kwargs):
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    return subprocess.Popen([sys.executable, "-m", "orchestration.cli", "refresh"], cwd=REPO, env=dict(os.environ),
                            stderr=subprocess.DEVNULL, start_new_session=True, **kwargs)


@pytest.fixture
def mixed_drop(warehouse_env, monkeypatch):
    raw = warehouse_env / "raw"
    for pdf in RAW.glob("*.pdf"):
        shutil.copy(pdf, raw)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "truncated.pdf").write_bytes((RAW / "002_cdd6aeb71386346d.pdf").read_bytes()[:12000])
    plain_pdf(raw / "protected.pdf", ["质量年度报告"], encrypt="secret")
    image_only_pdf(raw / "scanned.pdf")
    plain_pdf(raw / "minutes.pdf", ["会议纪要", "2023年12月5日召开校务会议，研究招生工作。"])
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", raw / "000_copy.pdf")
    (raw / "report.docx").write_bytes(b"PK\x03\x04 not a pdf at all")
    long_report(raw / "huge.pdf", pages=30)
    impossible_report(raw / "impossible.pdf")
    monkeypatch.setenv("ZHIJIAO_MAX_PAGES", "25")
    return warehouse_env


def test_a_mixed_drop_refreshes_and_publishes(mixed_drop, capsys):
    assert main(["refresh"]) == 0
    status = dict(rows(published(mixed_drop), "select source_file, status from documents"))
    assert status["empty.pdf"] == "empty_file"
    assert status["truncated.pdf"] == "corrupt_pdf"
    assert status["protected.pdf"] == "password_protected"
    assert status["scanned.pdf"] == "no_text_layer"
    assert status["minutes.pdf"] == "not_a_quality_report"
    assert status["000_copy.pdf"] == "duplicate"
    assert status["report.docx"] == "not_a_pdf"
    assert status["huge.pdf"] == "too_large"
    assert status["impossible.pdf"] == "loaded"
    assert all(status[f"{p.name}"] == "loaded" for p in RAW.glob("*.pdf"))
    reasons = dict(rows(published(mixed_drop), "select source_file, reason from documents where status <> 'loaded'"))
    for name, reason in reasons.items():
        assert name in reason, reason  # every message names its file …
    out = capsys.readouterr().out
    assert "password-protected" in out and "OCR" in out

    # Impossible values are held back: not in any mart, each listed as an issue.
    school = rows(published(mixed_drop), "select employment_rate, satisfaction_parents, teachers_fulltime, staff_total, "
                                         "satisfaction_students from school_year where entity_name = '原阳县职业教育中心'")
    assert school == [(None, None, None, None, 96.5)]
    issues = rows(published(mixed_drop), "select indicator, rule, severity, page, snippet from data_quality_issues "
                                         "where source_file = 'impossible.pdf' order by indicator")
    found = {(i[0], i[1]) for i in issues}
    assert ("employment_rate", "rate_out_of_range") in found
    assert ("satisfaction_parents", "rate_out_of_range") in found
    assert ("teachers_fulltime", "subset_exceeds_whole") in found
    assert ("staff_total", "subset_exceeds_whole") in found
    assert all(i[2] == "held_back" and i[3] >= 1 and i[4] for i in issues)


def test_two_refreshes_publish_identical_facts_and_a_reader_is_never_blocked(warehouse_env, capsys):
    for name in ("000_ad8fa0dc1b023aac.pdf", "001_cbbc57b736b8bf1c.pdf"):
        shutil.copy(RAW / name, warehouse_env / "raw")
    assert main(["refresh"]) == 0
    sql = "select source_file, page, entity_name, period_year, indicator, value, snippet from facts order by all"
    first = rows(published(warehouse_env), sql)

    reader = subprocess.Popen(
        [sys.executable, "-c", (
            "import duckdb, sys, time\n"
            "end = time.time() + 600; n = 0\n"
            "while time.time() < end:\n"
            "    con = duckdb.connect(sys.argv[1], read_only=True)\n"
            "    assert con.execute('select count(*) from facts').fetchone()[0] > 0\n"
            "    con.close(); n += 1\n"
            "    if open(sys.argv[2]).read() == 'stop': break\n"
            "print(n)\n"
        ), str(published(warehouse_env)), str(warehouse_env / "stop")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    (warehouse_env / "stop").write_text("")
    assert main(["refresh", "--force"]) == 0
    (warehouse_env / "stop").write_text("stop")
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert int(out) > 10
    assert rows(published(warehouse_env), sql) == first

    # Nothing new: the refresh says so and leaves the published file as it is.
    before = published(warehouse_env).read_bytes()
    capsys.readouterr()
    assert main(["refresh"]) == 0
    assert "Up to date" in capsys.readouterr().out
    assert published(warehouse_env).read_bytes() == before

    # Removing a file removes its facts at the next refresh.
    (warehouse_env / "raw" / "001_cbbc57b736b8bf1c.pdf").unlink()
    assert main(["refresh"]) == 0
    assert rows(published(warehouse_env), "select distinct source_file from facts") == [("000_ad8fa0dc1b023aac.pdf",)]


def test_a_refresh_killed_midway_leaves_the_published_file_and_the_next_one_completes(warehouse_env):
    shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", warehouse_env / "raw")
    assert main(["refresh"]) == 0
    before = published(warehouse_env).read_bytes()
    shutil.copy(RAW / "002_cdd6aeb71386346d.pdf", warehouse_env / "raw")
    # Killed as a stage ends (the next one running: the dbt build, then the gates), not after a fixed
    # delay, which a faster refresh would outrun.
    for stage in ("files parsed", "dbt models"):
        process = refresh_process(stdout=subprocess.PIPE, text=True)
        for line in process.stdout:
            if line.startswith(stage):
                break
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert published(warehouse_env).read_bytes() == before
        assert rows(published(warehouse_env), "select count(*) from documents") == [(1,)]
    assert main(["refresh"]) == 0
    assert rows(published(warehouse_env), "select count(*) from documents") == [(2,)]


def test_parse_workers_see_limits_set_after_their_fork_server_started(monkeypatch):
    from orchestration.intake.inventory import inventory
    from orchestration.intake.workers import process_all

    def first_sample():
        return [r for r in inventory(RAW) if r.file_name.startswith("000_")]

    assert process_all(first_sample(), None)[0].file.status == "loaded"  # the fork server runs from here on
    monkeypatch.setenv("ZHIJIAO_MAX_PAGES", "1")
    [result] = process_all(first_sample(), None)
    assert result.file.status == "too_large" and "ZHIJIAO_MAX_PAGES" in result.file.reason


def test_a_parse_over_its_time_limit_is_reported_and_retried_next_time(tmp_path):
    from orchestration.intake.inventory import inventory
    from orchestration.intake.outcomes import collect_outcomes
    from orchestration.intake.workers import process_all

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    shutil.copy(RAW / "001_cbbc57b736b8bf1c.pdf", raw)
    [stopped] = process_all(inventory(raw), cache, timeout_s=0.001)
    assert stopped.file.status == "parse_timeout"
    assert "001_cbbc57b736b8bf1c.pdf" in stopped.file.reason and "ZHIJIAO_PARSE_TIMEOUT_S" in stopped.file.reason
    assert [o.file.status for o in collect_outcomes(inventory(raw), cache)] == ["parse_timeout"]
    [retried] = process_all(inventory(raw), cache)
    assert retried.file.status == "loaded" and retried.facts
    assert [o.file.status for o in collect_outcomes(inventory(raw), cache)] == ["loaded"]


def test_files_parsed_ahead_of_the_run_are_taken_once_and_only_for_their_cache(tmp_path):
    """`zhijiao refresh` parses while Dagster loads; the run's parse asset takes those outcomes
    (a timeout included, so a slow file is not parsed twice in one refresh) and nothing else."""
    from orchestration.intake.inventory import inventory
    from orchestration.intake.outcomes import has_final_outcome
    from orchestration.intake.parse_ahead import parsed_ahead, start_parsing_ahead

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    for name in ("000_ad8fa0dc1b023aac.pdf", "004_146eca4c6556580a.pdf"):
        shutil.copy(RAW / name, raw)
    (raw / "notes.txt").write_text("not a report")
    records = inventory(raw)
    start_parsing_ahead(raw, cache)
    ahead = parsed_ahead(records, cache)
    assert sorted(r.file.file_name for r in ahead.values()) == ["000_ad8fa0dc1b023aac.pdf", "004_146eca4c6556580a.pdf"]
    assert all(r.file.status == "loaded" and r.facts for r in ahead.values())
    assert all(has_final_outcome(r, cache) for r in records if r.status == "pending")
    assert parsed_ahead(records, cache) == {}  # taken once: a later run parses afresh
    start_parsing_ahead(raw, cache)
    assert parsed_ahead(records, tmp_path / "another_cache") == {}  # another warehouse's run
