"""Parsing that starts before the run: `zhijiao refresh` parses raw/ while Dagster and the definitions
load (seconds on one core). Each outcome is recorded in the parse cache as the run's own parse would
record it, so the run's parsed_reports asset waits for what is still running and redoes nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from .. import progress
from .inventory import FileRecord, inventory
from .outcomes import DocumentResult, has_final_outcome
from .workers import process_all

PARSE_STAGE = "files parsed"
OCR_STAGE = "OCR pages"


class ParseProgress:
    """Files parsed of `total`, and the pages OCR has read so far (scans are slow: they get a line)."""

    def __init__(self, total: int, done: int = 0):
        self.total, self.done, self.ocr_pages = total, done, 0
        progress.report(PARSE_STAGE, done, total)

    def __call__(self, result: DocumentResult) -> None:
        self.done += 1
        progress.report(PARSE_STAGE, self.done, self.total)
        self.ocr_pages += result.ocr_pages
        if self.ocr_pages:  # open until the last file is parsed (how many pages are scans is not known ahead)
            progress.report(OCR_STAGE, self.ocr_pages, self.ocr_pages + (self.done < self.total))

_lock = threading.Lock()
_ahead: tuple[Path, threading.Thread, dict[tuple[str, str], DocumentResult]] | None = None


def start_parsing_ahead(raw: Path, cache: Path) -> None:
    """Parse every file of raw/ with no recorded outcome, in the background."""
    global _ahead
    results: dict[tuple[str, str], DocumentResult] = {}
    thread = threading.Thread(target=_parse, args=(raw, cache, results), name="parse-ahead", daemon=True)
    with _lock:
        _ahead = (cache, thread, results)
    thread.start()


def _parse(raw: Path, cache: Path, results: dict) -> None:
    try:
        pending = [r for r in inventory(raw) if r.status == "pending" and not has_final_outcome(r, cache)]
        # with nothing to parse, the run's parse asset reports the stage
        report = ParseProgress(len(pending)) if pending else None
        for result in process_all(pending, cache, progress=report):
            results[(result.file.path, result.file.sha256)] = result
    except Exception:  # only a head start: the run's own parse meets the same problem and reports it
        results.clear()


def parsed_ahead(records: list[FileRecord], cache: Path) -> dict[str, DocumentResult]:
    """Outcomes parsed ahead into this cache for these records (same path and content), once that
    parse has finished. Taken once: outcomes that are not final (a timeout, the memory limit) are not
    parsed a second time in this run, and a later run parses afresh."""
    global _ahead
    with _lock:
        ahead, _ahead = _ahead, None
    if ahead is None or ahead[0] != cache:
        return {}
    _, thread, results = ahead
    thread.join()
    return {r.path: results[key] for r in records if (key := (r.path, r.sha256)) in results}
