"""`make bench`: synthetic corpora of N reports; naive pdfplumber against the project's parse stage
and refreshes (cold, nothing new, one file changed), with peak memory. Writes bench/results.json.

    .venv/bin/python bench/run.py [--sizes 50 200 1000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pdfplumber
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import build, report, repository_corpus  # noqa: E402

from orchestration.extraction.extract import extract_report  # noqa: E402
from orchestration.reports.pdf import parse_pdf  # noqa: E402
from orchestration.intake.inventory import inventory  # noqa: E402
from orchestration.intake.workers import process_all, start_parse_workers  # noqa: E402

console = Console()


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def timed_command(args: list[str], env: dict) -> tuple[float, int, float | None]:
    """Wall seconds, peak resident memory (bytes, whole process tree) and seconds to the first line of
    output of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_line: list[float] = []

    def read_output():
        for _ in process.stdout:
            if not first_line:
                first_line.append(time.perf_counter() - start)

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_bytes(process.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    reader.join(timeout=5)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}): {process.stderr.read()[-2000:]}")
    return elapsed, peak, (first_line[0] if first_line else None)


def naive_parse(paths: list[Path]) -> tuple[float, int]:
    """What a script would do: one process, extract_text and extract_tables on every page."""
    start, pages = time.perf_counter(), 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return time.perf_counter() - start, pages


def _page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def same_facts(paths: list[Path]) -> bool:
    """The fast reader against pdfplumber on every page, on a sample of the corpus."""
    for path in paths:
        fast, slow = (extract_report(parse_pdf(path, fast_text=f), path.name, include_components=True) for f in (True, False))
        if fast != slow:
            console.print(f"[red]facts differ[/] {path.name}")
            return False
    return True


REPOSITORY = "repo"  # the size name of the repository's own reports (corpus.repository_corpus)


def measure(size_name: str, work: Path, naive_limit: int | None) -> dict:
    raw = work / f"corpus_{size_name}"
    if size_name == REPOSITORY:
        console.print(f"[bold]{REPOSITORY}[/]: every report PDF the repository holds, copied into {raw}")
        paths = repository_corpus(raw)
    else:
        console.print(f"[bold]N = {size_name}[/]: generating {raw}")
        paths = build(raw, int(size_name))
    size = len(paths)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    result: dict = {"reports": size, "commit": commit or None}

    naive_paths = paths if naive_limit is None else paths[:naive_limit]
    naive_s, naive_pages = naive_parse(naive_paths)
    pages = sum(_page_count(p) for p in paths) if naive_limit is not None else naive_pages
    result["pages"] = pages
    # Measured on all reports, or on the first naive_limit of them and scaled by pages.
    result["naive_pdfplumber_s"] = round(naive_s * pages / naive_pages, 2)
    result["naive_measured_reports"] = len(naive_paths)

    stage = subprocess.run([sys.executable, __file__, "--parse-stage", str(raw)], cwd=REPO, check=True,
                           capture_output=True, text=True)
    result.update(json.loads(stage.stdout))
    result["identical_facts_sample"] = same_facts(paths[: min(10, size)])

    warehouse = work / f"warehouse_{size}"
    shutil.rmtree(warehouse, ignore_errors=True)
    env = dict(os.environ, ZHIJIAO_RAW_DIR=str(raw), ZHIJIAO_WAREHOUSE_DIR=str(warehouse),
               DAGSTER_HOME=str(work / "dagster_home"), DBT_SEND_ANONYMOUS_USAGE_STATS="False",
               GX_ANALYTICS_ENABLED="False")
    (work / "dagster_home").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
    zhijiao = [sys.executable, "-m", "orchestration.cli", "refresh"]
    # First refresh at a warehouse path dbt has not built before: dbt parses the project in full.
    result["cold_refresh_new_warehouse_path_s"], _, _ = timed_command(zhijiao, env)
    # Cold as a steward's `rm -rf warehouse && make run`: no parse cache, no build or published
    # database, but the same warehouse path, so dbt's saved parse still holds.
    shutil.rmtree(warehouse)
    result["cold_refresh_s"], cold_rss, first_line = timed_command(zhijiao, env)
    result["cold_first_progress_line_s"] = round(first_line, 2) if first_line is not None else None
    result["noop_refresh_s"], _, _ = timed_command(zhijiao, env)
    changed = paths[size // 2]
    original = changed.read_bytes()
    report(changed, size // 2, variant=1)
    result["one_changed_refresh_s"], _, _ = timed_command(zhijiao, env)
    changed.write_bytes(original)  # back to the corpus as it was
    result["peak_rss_mb"] = round(cold_rss / 2**20)
    for key in ("cold_refresh_new_warehouse_path_s", "cold_refresh_s", "noop_refresh_s", "one_changed_refresh_s"):
        result[key] = round(result[key], 2)

    result["parse_speedup_vs_naive"] = round(result["naive_pdfplumber_s"] / result["parse_stage_s"], 2)
    result["parse_with_pool_start_speedup_vs_naive"] = round(
        result["naive_pdfplumber_s"] / result["parse_stage_with_pool_start_s"], 2)
    result["cold_refresh_over_naive"] = round(result["cold_refresh_s"] / result["naive_pdfplumber_s"], 3)
    result["cold_refresh_new_warehouse_path_over_naive"] = round(
        result["cold_refresh_new_warehouse_path_s"] / result["naive_pdfplumber_s"], 3)
    result["noop_over_cold"] = round(result["noop_refresh_s"] / result["cold_refresh_s"], 3)
    result["one_changed_over_cold"] = round(result["one_changed_refresh_s"] / result["cold_refresh_s"], 3)
    return result


def parse_stage(raw: Path) -> dict:
    """The refresh's parse stage in a fresh process: the workers' fork server started (imports and
    warm-up, once per refresh), then every file parsed and extracted by the pool."""
    start = time.perf_counter()
    start_parse_workers()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        documents = process_all(inventory(raw), Path(cache))
    done = time.perf_counter()
    return {"pool_start_s": round(started - start, 2), "parse_stage_s": round(done - started, 2),
            "parse_stage_with_pool_start_s": round(done - start, 2),
            "parse_stage_loaded": sum(d.file.status == "loaded" for d in documents)}


def main() -> int:
    if sys.argv[1:2] == ["--parse-stage"]:
        print(json.dumps(parse_stage(Path(sys.argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["50", "200", "1000"],
                        help=f"numbers of synthetic reports, or {REPOSITORY} for the repository's own "
                             "report PDFs")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work", help="corpora and warehouses (not committed)")
    parser.add_argument("--naive-limit", type=int, default=None,
                        help="time naive pdfplumber on the first K reports only and scale by pages (it is slow)")
    args = parser.parse_args()
    # Sizes not re-run keep their last figures, so one size can be measured again on its own.
    out = REPO / "bench" / "results.json"
    previous = json.loads(out.read_text(encoding="utf-8")).get("sizes", {}) if out.exists() else {}
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "sizes": previous}
    for size in args.sizes:
        results["sizes"][str(size)] = measure(str(size), args.work, args.naive_limit)
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    sizes = results["sizes"] = dict(sorted(results["sizes"].items(),
                                           key=lambda item: int(item[0]) if item[0].isdigit() else 10**9))
    # Only figures of one commit divide into a ratio.
    if "200" in sizes and "1000" in sizes and sizes["200"].get("commit") == sizes["1000"].get("commit"):
        for key in ("cold_refresh_s", "parse_stage_s"):
            results[f"{key.removesuffix('_s')}_1000_over_200"] = round(sizes["1000"][key] / sizes["200"][key], 2)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")

    table = Table(title="zhijiao benchmark (bench/results.json)")
    keys = ["pages", "naive_pdfplumber_s", "pool_start_s", "parse_stage_s", "parse_speedup_vs_naive",
            "parse_with_pool_start_speedup_vs_naive", "cold_refresh_s",
            "cold_refresh_over_naive", "cold_refresh_new_warehouse_path_s", "cold_refresh_new_warehouse_path_over_naive", "cold_first_progress_line_s", "noop_refresh_s", "noop_over_cold", "one_changed_refresh_s",
            "one_changed_over_cold", "peak_rss_mb", "identical_facts_sample"]
    table.add_column("measure")
    for size in sizes:
        table.add_column(f"N={size}", justify="right")
    for key in keys:
        table.add_row(key, *[str(sizes[s].get(key)) for s in sizes])
    console.print(table)
    for key in ("cold_refresh_1000_over_200", "parse_stage_1000_over_200"):
        if key in results:
            console.print(f"{key}: {results[key]} (linear: 5.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
