"""OCR on scanned copies of the sample reports: recall and precision against the gold (and against
the born-digital facts where there is no gold), OCR pages per second on the parse workers.

    .venv/bin/python bench/ocr.py [--reports raw] [--out DIR]
    .venv/bin/python bench/ocr.py --refresh-memory   # peak memory of a refresh with scans in raw/
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from scans import scanned_copy  # noqa: E402


def _facts(path: str) -> tuple[str, list[tuple], int, float]:
    from orchestration.extraction.extract import read_report
    from orchestration.extraction.fact import CONFIDENCE_THRESHOLD

    started = time.perf_counter()
    parsed, _, facts = read_report(Path(path))
    keys = [(f.entity, f.period_year, f.indicator, round(f.value, 4)) for f in facts
            if f.confidence >= CONFIDENCE_THRESHOLD]
    return Path(path).name, keys, len(parsed.ocr_pages), time.perf_counter() - started


def _gold(path: Path) -> set[tuple]:
    with open(path, encoding="utf-8") as handle:
        return {(r["entity"], int(r["period_year"]), r["indicator"], round(float(r["value"]), 4))
                for r in csv.DictReader(handle)}


def _measure(reference: set, got: set) -> tuple[float, float]:
    hit = len(reference & got)
    return hit / (len(reference) or 1), hit / (len(got) or 1)


def _tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (MiB)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def refresh_memory(sources: list[Path], out: Path) -> dict:
    """`zhijiao refresh` of the born-digital reports plus their scanned copies in a fresh raw/ and
    warehouse: the peak resident memory of the whole process tree (sampled every 0.2 s) and of the
    largest single process (the kernel's high-water mark), and the wall time."""
    work = Path(tempfile.mkdtemp(prefix="zhijiao_ocr_refresh_"))
    raw = work / "raw"
    raw.mkdir()
    for i, source in enumerate(sources):
        shutil.copy(source, raw / source.name)
        scanned_copy(source, raw / f"scan_{source.name}", seed=i)
    env = dict(os.environ, ZHIJIAO_RAW_DIR=str(raw), ZHIJIAO_WAREHOUSE_DIR=str(work / "warehouse"))
    started = time.perf_counter()
    process = subprocess.Popen([str(REPO / ".venv" / "bin" / "zhijiao"), "refresh"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mib(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    sampler.join()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"files": len(sources) * 2, "scanned_files": len(sources), "exit_code": process.returncode,
              "seconds": round(time.perf_counter() - started, 1), "peak_tree_rss_mib": round(peak[0]),
              "peak_process_rss_mib": round(largest),
              "summary": [line for line in output.splitlines() if "OCR" in line or "published" in line]}
    shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", default=str(REPO / "raw"))
    parser.add_argument("--gold", default=str(REPO / "tests" / "gold"))
    parser.add_argument("--out", default="/tmp/zhijiao_scans")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--refresh-memory", action="store_true",
                        help="measure the peak memory of a refresh with scanned copies in raw/")
    args = parser.parse_args()
    if args.refresh_memory:
        result = refresh_memory(sorted(Path(args.reports).glob("*.pdf")), Path(args.out))
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0 if result["exit_code"] == 0 else 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(Path(args.reports).glob("*.pdf"))
    scans = [scanned_copy(p, out / p.name, seed=i) for i, p in enumerate(sources)]
    with ProcessPoolExecutor(args.workers) as pool:
        born = {name: set(keys) for name, keys, _, _ in pool.map(_facts, map(str, sources))}
        started = time.perf_counter()
        scanned = list(pool.map(_facts, map(str, scans)))
        wall = time.perf_counter() - started
    rows, pages = [], 0
    for name, keys, ocr_pages, _ in scanned:
        pages += ocr_pages
        gold_file = Path(args.gold) / name.replace(".pdf", ".csv")
        reference = _gold(gold_file) if gold_file.exists() else born[name]
        rows.append({"file": name, "reference": "gold" if gold_file.exists() else "born-digital",
                     "born_digital": _measure(reference, born[name]), "scanned": _measure(reference, set(keys)),
                     "ocr_pages": ocr_pages})
    for row in rows:
        print(f"{row['file']:<28} {row['reference']:<13} born-digital R/P {row['born_digital'][0]:.3f}/"
              f"{row['born_digital'][1]:.3f}  scanned R/P {row['scanned'][0]:.3f}/{row['scanned'][1]:.3f}")
    gold_rows = [r for r in rows if r["reference"] == "gold"] or rows
    mean = {k: tuple(sum(r[k][i] for r in gold_rows) / len(gold_rows) for i in (0, 1))
            for k in ("born_digital", "scanned")}
    print(f"mean over the gold files: born-digital {mean['born_digital'][0]:.3f}/{mean['born_digital'][1]:.3f}, "
          f"scanned {mean['scanned'][0]:.3f}/{mean['scanned'][1]:.3f}")
    print(f"OCR: {pages} pages in {wall:.1f} s on {args.workers} workers: {pages / wall:.2f} pages/s")
    print(json.dumps({"rows": rows, "pages": pages, "seconds": round(wall, 1)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
