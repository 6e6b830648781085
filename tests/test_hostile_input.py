"""Poisoned files, broken caches, empty input and implausible overrides: each gets its own status or a
one-line reason, the rest goes on, and nothing published is lost. Real PDFs, processes and databases."""

import os
import re
import shutil
import signal

import duckdb
import pytest
from conftest import RAW
from pdf_factory import compression_bomb, deep_page_tree, huge_dense_page, long_report

from orchestration.cli import main
from orchestration.intake.inventory import inventory
from orchestration.intake.outcomes import collect_outcomes, has_final_outcome
from orchestration.intake.workers import parse_workers_context, process_all

SAMPLE = "000_ad8fa0dc1b023aac.pdf"


def rows(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def hostile_files(folder):
    huge_dense_page(folder / "dense_poster.pdf")
    compression_bomb(folder / "bomb.pdf")
    deep_page_tree(folder / "deep_tree.pdf")


def test_hostile_pdfs_get_their_own_status_and_the_refresh_publishes_the_rest(warehouse_env, capsys):
    raw = warehouse_env / "raw"
    shutil.copy(RAW / SAMPLE, raw)
    hostile_files(raw)
    assert main(["refresh"]) == 0
    published = warehouse_env / "warehouse" / "published.duckdb"
    found = dict(rows(published, "select source_file, status || ' | ' || coalesce(reason, '') from documents"))
    assert found[SAMPLE].startswith("loaded")
    assert found["dense_poster.pdf"].startswith("too_large_page | dense_poster.pdf: page 1 measures 5080 × 5080 mm")
    assert found["bomb.pdf"].startswith("too_large_page | bomb.pdf: page 1's drawing instructions decode to more than 8 MB")
    assert found["deep_tree.pdf"].startswith("page_tree_too_deep | deep_tree.pdf: the PDF's page tree is nested too deeply")
    assert "Traceback" not in capsys.readouterr().out


def test_extract_gives_hostile_files_a_reason_and_honours_max_pages(tmp_path, monkeypatch, capsys):
    hostile_files(tmp_path)
    long_report(tmp_path / "long.pdf", pages=30)
    monkeypatch.setenv("ZHIJIAO_MAX_PAGES", "25")
    files = [str(tmp_path / n) for n in ("deep_tree.pdf", "bomb.pdf", "dense_poster.pdf", "long.pdf")]
    assert main(["extract", *files]) == 1
    out = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "deep_tree.pdf: the PDF's page tree is nested too deeply" in out
    assert "bomb.pdf: page 1's drawing instructions decode to more than 8 MB" in out
    assert "dense_poster.pdf: page 1 measures" in out
    assert re.search(r"long\.pdf: \d+ pages is over the limit of 25; split the file or raise ZHIJIAO_MAX_PAGES", out)


def _worker_address_space_mb() -> int:
    """What a parse worker maps before it takes a file (the fork server's imports and warm-up)."""
    from pebble import ProcessPool

    with ProcessPool(1, context=parse_workers_context()) as pool:
        pid = pool.schedule(os.getpid).result()
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") >> 20


def test_a_parse_over_the_memory_limit_is_reported_retried_and_the_others_go_on(tmp_path, monkeypatch):
    """RLIMIT_AS in the worker: an allocation past ZHIJIAO_PARSE_MEMORY_MB is a memory_limit status,
    recorded as transient, so the next refresh with room parses the file. An A4 page of tiny text
    (180,000 chars) passes the size checks but needs ~100 MB; the sample report needs a few."""
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    shutil.copy(RAW / SAMPLE, raw)
    huge_dense_page(raw / "tiny_print.pdf", side_pt=842, lines=600, chars_per_line=300, size=1.4)
    (raw / "notes.txt").write_text("not a report")
    # 40 MB past what a worker maps before it reads anything (not a figure below it: then whether a
    # file fits depends on how much free heap the worker was forked with).
    monkeypatch.setenv("ZHIJIAO_PARSE_MEMORY_MB", str(_worker_address_space_mb() + 40))
    # Out of memory, CPython 3.11 can spin in its unwinding instead of raising; the CPU limit then stops
    # the worker a few seconds past this, and that too is the memory limit.
    monkeypatch.setenv("ZHIJIAO_PARSE_TIMEOUT_S", "5")
    results = {r.file.file_name: r.file for r in process_all(inventory(raw), cache)}
    assert results["tiny_print.pdf"].status == "memory_limit"
    assert "tiny_print.pdf" in results["tiny_print.pdf"].reason and "ZHIJIAO_PARSE_MEMORY_MB" in results["tiny_print.pdf"].reason
    assert results[SAMPLE].status == "loaded"  # the others go on
    assert results["notes.txt"].status == "not_a_pdf"
    [record] = [r for r in inventory(raw) if r.file_name == "tiny_print.pdf"]
    assert not has_final_outcome(record, cache)
    monkeypatch.delenv("ZHIJIAO_PARSE_MEMORY_MB")
    monkeypatch.delenv("ZHIJIAO_PARSE_TIMEOUT_S")
    retried = {r.file.file_name: r.file for r in process_all(inventory(raw), cache)}
    assert retried["tiny_print.pdf"].status not in ("memory_limit", "parse_error", "parse_timeout")


def _cache_entries(cache, suffix):
    return sorted(p for p in cache.iterdir() if p.name.endswith(suffix))


@pytest.mark.parametrize("damage", ["truncated", "not utf-8", "wrong shape"])
def test_an_unreadable_cache_entry_is_parsed_again_with_a_warning_naming_it(tmp_path, damage, caplog):
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    shutil.copy(RAW / SAMPLE, raw)
    [first] = process_all(inventory(raw), cache)
    [outcome] = _cache_entries(cache, ".outcome.json")
    [parsed] = _cache_entries(cache, f".v{__import__('orchestration.intake.parse_cache', fromlist=['x']).PARSER_VERSION}.json")
    for entry in (outcome, parsed):
        text = entry.read_bytes()
        entry.write_bytes({"truncated": text[: len(text) // 2], "not utf-8": b"\xff\xfe" + text[:100],
                           "wrong shape": b'{"facts": 3}'}[damage])
    # The loader treats the outcome as missing (not an error), the parse batch parses the file again, in
    # process here so the parse-cache warning is captured too.
    assert [o.file.status for o in collect_outcomes(inventory(raw), cache)] == ["not_parsed"]
    assert str(outcome) in caplog.text
    [again] = process_all(inventory(raw), cache, workers=1)
    assert str(parsed) in caplog.text and "parsed again" in caplog.text
    assert again.file.status == "loaded" and len(again.facts) == len(first.facts)
    assert [o.file.status for o in collect_outcomes(inventory(raw), cache)] == ["loaded"]


def test_a_garbled_outcome_never_stops_a_refresh_and_force_works(warehouse_env):
    shutil.copy(RAW / SAMPLE, warehouse_env / "raw")
    assert main(["refresh"]) == 0
    for entry in (warehouse_env / "warehouse" / "parse_cache").glob("*.outcome.json"):
        entry.write_bytes(b"\x80\x81 truncated")
    assert main(["refresh", "--force"]) == 0
    assert rows(warehouse_env / "warehouse" / "published.duckdb", "select status from documents") == [("loaded",)]


@pytest.mark.parametrize("raw_state", ["empty", "missing", "all rejected"])
def test_no_loadable_report_stops_with_one_line_and_keeps_the_publication(warehouse_env, raw_state, capsys, monkeypatch):
    raw = warehouse_env / "raw"
    shutil.copy(RAW / SAMPLE, raw)
    assert main(["refresh"]) == 0
    published = warehouse_env / "warehouse" / "published.duckdb"
    before = published.read_bytes()
    (raw / SAMPLE).unlink()
    if raw_state == "missing":
        monkeypatch.setenv("ZHIJIAO_RAW_DIR", str(warehouse_env / "unmounted"))
    elif raw_state == "all rejected":
        (raw / "minutes.docx").write_bytes(b"PK\x03\x04 a word file")
        (raw / "empty.pdf").write_bytes(b"")
    capsys.readouterr()
    assert main(["refresh"]) == 1
    captured = capsys.readouterr()
    out = captured.out
    assert "Stack Trace" not in captured.err and "Traceback" not in captured.err
    [reason] = [line for line in out.splitlines() if line.startswith("Not published:")]
    expected = {"empty": "holds no files, so there is no report to load",
                "missing": "does not exist, so there is no report to load",
                "all rejected": "none of the 2 file(s) in"}[raw_state]
    assert expected in reason and "The published warehouse is unchanged." in reason
    assert "contract" not in out and "Traceback" not in out
    assert published.read_bytes() == before


@pytest.mark.parametrize("value, message", [
    ("inf", "is not a finite number"), ("nan", "is not a finite number"), ("1e12", "outside its plausible range 0–100"),
    ("-3", "outside its plausible range 0–100"), ("ninety", "needs a numeric corrected_value"),
])
def test_an_implausible_override_is_refused_naming_its_line(tmp_path, monkeypatch, value, message):
    from orchestration.warehouse.overrides import OverrideError, load_overrides

    path = tmp_path / "fact_overrides.csv"
    path.write_text("source_file,entity,period_year,indicator,action,corrected_value,reviewer,note\n"
                    "a.pdf,某校,2023,students_total,accept_value,1200,wang,ok\n"
                    f"a.pdf,某校,2023,employment_rate,accept_value,{value},wang,typo\n", encoding="utf-8")
    with pytest.raises(OverrideError) as raised:
        load_overrides(path)
    assert raised.value.message.startswith(f"{path}, line 3: ") and message in raised.value.message


def test_a_plausible_override_passes_and_bounds_come_from_the_catalog():
    from orchestration.extraction.catalog import load_catalog

    catalog = {i.code: i for i in load_catalog()}
    assert (catalog["employment_rate"].min_plausible, catalog["employment_rate"].max_plausible) == (0, 100)
    assert all(i.min_plausible < i.max_plausible < float("inf") for i in catalog.values())


@pytest.mark.parametrize("exitcode, status, said", [
    (-6, "memory_limit", "stopped abruptly (SIGABRT)"),
    (-11, "memory_limit", "stopped abruptly (SIGSEGV)"),
    (-signal.SIGXCPU, "memory_limit", "stopped responding: it spent its time limit in code its timer cannot"),
    (3, "parse_error", "exited with code 3"),
])
def test_a_worker_that_dies_on_a_file_is_reported_for_that_file(tmp_path, exitcode, status, said):
    """Under the address-space cap a worker can die instead of raising MemoryError (Python aborts when
    raising it fails; native code segfaults): the pool names the file, which is retried next time."""
    from pebble import ProcessExpired

    from orchestration.intake.workers import _died_in_worker

    shutil.copy(RAW / SAMPLE, tmp_path)
    (record,) = inventory(tmp_path)
    result = _died_in_worker(record, ProcessExpired("Abnormal termination", code=exitcode), tmp_path / "cache")
    assert (result.file.status, result.file.file_name) == (status, SAMPLE)
    assert said in result.file.reason and SAMPLE in result.file.reason
    assert has_final_outcome(record, tmp_path / "cache") == (status == "parse_error")
