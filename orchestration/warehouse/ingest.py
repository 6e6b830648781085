"""raw/ → inventory → parsed reports (cached by sha256, parallel) → facts. No Dagster here."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from ..extraction.extract import NotAReport, extract_report, report_meta
from ..extraction.fact import Fact
from ..paths import write_text_atomic
from ..reports.model import ParsedReport
from ..reports.pdf import ReportError, parse_pdf, sha256_file
from .fingerprint import project_files_digest



def max_file_bytes() -> int:
    return int(float(os.environ.get("ZHIJIAO_MAX_FILE_MB", "200")) * 1024 * 1024)


def max_pages() -> int:
    return int(os.environ.get("ZHIJIAO_MAX_PAGES", "400"))


def parse_timeout_s() -> float:
    return float(os.environ.get("ZHIJIAO_PARSE_TIMEOUT_S", "300"))

PARSER_VERSION = "2"  # bump when parsing changes, so cached parses are redone


@dataclass
class FileRecord:
    path: str
    file_name: str
    sha256: str
    size_bytes: int
    kind: str  # pdf | other
    status: str = "pending"
    reason: str = ""


@dataclass
class DocumentResult:
    file: FileRecord
    title: str = ""
    subject: str = ""
    level: str = ""
    admin_code: str = ""
    report_year: int | None = None
    body_year: int | None = None
    document_type: str = ""
    school_code: str = ""
    review_reason: str = ""
    page_count: int = 0
    fact_count: int = 0
    facts: list[Fact] = field(default_factory=list)

    def document_row(self) -> dict:
        row = asdict(self.file)
        row.update(
            title=self.title, subject=self.subject, level=self.level, admin_code=self.admin_code,
            report_year=self.report_year, body_year=self.body_year, document_type=self.document_type,
            school_code=self.school_code, review_reason=self.review_reason, page_count=self.page_count,
            fact_count=len(self.facts),
        )
        return row


def inventory(raw: Path) -> list[FileRecord]:
    """One record per file in raw/, with checks that need no parsing (empty, not a PDF, duplicate)."""
    records: list[FileRecord] = []
    first_by_hash: dict[str, str] = {}
    for path in sorted(p for p in raw.rglob("*") if p.is_file() and not p.name.startswith(".")):
        size = path.stat().st_size
        digest = sha256_file(path)
        with open(path, "rb") as handle:
            head = handle.read(1024)
        kind = "pdf" if b"%PDF-" in head else "other"
        rec = FileRecord(str(path), path.name, digest, size, kind)
        if size == 0:
            rec.status, rec.reason = "empty_file", f"{path.name}: the file is empty (0 bytes); copy it again from the sender."
        elif kind != "pdf":
            rec.status, rec.reason = "not_a_pdf", (
                f"{path.name}: not a PDF (no %PDF header); export the report as PDF and put that in raw/."
            )
        elif size > max_file_bytes():
            rec.status, rec.reason = "too_large", (
                f"{path.name}: {size / 1e6:.1f} MB is over the {max_file_bytes() / 1e6:.1f} MB limit; "
                "compress or split the file, or raise ZHIJIAO_MAX_FILE_MB."
            )
        elif digest in first_by_hash:
            rec.status, rec.reason = "duplicate", (
                f"{path.name}: byte-identical to {first_by_hash[digest]}; it is skipped — delete one copy."
            )
        else:
            first_by_hash[digest] = path.name
        records.append(rec)
    return records


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.v{PARSER_VERSION}.json"


def parse_cached(path: Path, sha256: str, cache_dir: Path | None) -> ParsedReport:
    """Parse once per sha256: an unchanged file is read from the cache."""
    if cache_dir is not None:
        cached = _cache_path(cache_dir, sha256)
        if cached.exists():
            return ParsedReport.from_dict(json.loads(cached.read_text(encoding="utf-8")))
    parsed = parse_pdf(path, max_pages=max_pages(), sha256=sha256)
    if cache_dir is not None:
        _write_json(_cache_path(cache_dir, sha256), parsed.to_dict())
    return parsed


def _write_json(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False))


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """Changes whenever extraction code or the catalog seeds change, so cached facts are redone."""
    code_and_seeds = project_files_digest(("orchestration/extraction/*.py", "dbt_project/seeds/*.csv"))
    return hashlib.sha256(f"{PARSER_VERSION}|{code_and_seeds}".encode()).hexdigest()[:16]


# Outcomes that depend on the machine, not the file: retried on the next refresh.
TRANSIENT_STATUSES = {"parse_timeout"}
# Parse batches: a file's batch follows from the first character of its name, so a changed file
# stays in its batch and a steward can tell from the key which files a batch holds.
_ASCII_BATCHES = ("0-3", "4-6", "7-9", "a-b", "c-d", "e-g", "h-j", "k-l", "m-o", "p-r", "s-t", "u-z")
# Names that start with a Chinese character (河南省…, 延津县…) are spread over thirds of the CJK block.
_CJK_FIRST, _CJK_LAST, _CJK_BATCHES = 0x4E00, 0x9FFF, 3


def parse_batch_keys() -> list[str]:
    return ([f"files-{span}" for span in _ASCII_BATCHES] + [f"files-cjk-{i}" for i in range(1, _CJK_BATCHES + 1)]
            + ["files-other"])


def parse_batch_of(file_name: str) -> str:
    """files-a-b holds names starting with a or b (any case); files-cjk-N names starting with a Chinese
    character; files-other the rest."""
    first = file_name[:1].lower()
    for span in _ASCII_BATCHES:
        if span[0] <= first <= span[-1] and first.isascii() and first.isalnum():
            return f"files-{span}"
    if first and _CJK_FIRST <= ord(first) <= _CJK_LAST:
        third = (ord(first) - _CJK_FIRST) * _CJK_BATCHES // (_CJK_LAST - _CJK_FIRST + 1)
        return f"files-cjk-{third + 1}"
    return "files-other"


def _outcome_cache_path(record: FileRecord, cache_dir: Path | None, transient: bool = False) -> Path | None:
    """Final outcomes and transient ones (retried on the next refresh) are recorded apart."""
    if cache_dir is None:
        return None
    key = hashlib.sha256(f"{record.sha256}|{record.file_name}|{extraction_version()}".encode()).hexdigest()[:32]
    return cache_dir / f"{key}.{'transient' if transient else 'outcome'}.json"


def has_final_outcome(record: FileRecord, cache_dir: Path | None) -> bool:
    """True when this content, name and extraction version were parsed before: nothing to redo."""
    cached = _outcome_cache_path(record, cache_dir)
    return cached is not None and cached.exists()


def _cached_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
    """The outcome a previous parse of this content, name and extraction version recorded."""
    cached = _outcome_cache_path(record, cache_dir)
    if cached is not None and not cached.exists():
        cached = _outcome_cache_path(record, cache_dir, transient=True)
    if cached is None or not cached.exists():
        return None
    data = json.loads(cached.read_text(encoding="utf-8"))
    # Where the file lives now comes from the inventory; what parsing found comes from the cache.
    record.status, record.reason = data.pop("file")["status"], data.pop("file_reason", "") or record.reason
    facts = [Fact(**f) for f in data.pop("facts")]
    return DocumentResult(file=record, facts=facts, **data)


def _process(record: FileRecord, cache_dir: Path | None) -> DocumentResult:
    """Parse and extract one inventoried PDF; every failure becomes a status with a reason."""
    result = DocumentResult(file=record)
    try:
        parsed = parse_cached(Path(record.path), record.sha256, cache_dir)
        meta = report_meta(parsed, record.file_name)
        facts = extract_report(parsed, record.file_name, meta=meta, include_components=True)
    except ReportError as exc:
        record.status, record.reason = exc.status, exc.message
        return result
    except NotAReport as exc:
        record.status, record.reason = "not_a_quality_report", str(exc)
        return result
    except Exception as exc:  # a parser bug must not stop the other files
        record.status, record.reason = "parse_error", (
            f"{record.file_name}: the parser failed ({type(exc).__name__}: {str(exc)[:160]}); "
            "report this file to the zhijiao maintainers."
        )
        return result
    result.title, result.subject, result.level = meta.title, meta.subject, meta.level
    result.admin_code, result.report_year, result.body_year = meta.admin_code, meta.report_year, meta.body_year
    result.document_type, result.school_code, result.review_reason = meta.document_type, meta.school_code, meta.review_reason
    result.page_count = parsed.page_count
    result.facts = facts
    record.status = "loaded" if facts else "no_facts"
    if not facts:
        record.reason = f"{record.file_name}: parsed, but no indicator facts were found; check the report or extend the catalog."
    return result


def _record_outcome(result: DocumentResult, cache_dir: Path | None) -> None:
    cached = _outcome_cache_path(result.file, cache_dir, transient=result.file.status in TRANSIENT_STATUSES)
    if cached is not None:
        data = asdict(result)
        data["file"] = {"status": result.file.status}
        data["file_reason"] = result.file.reason
        _write_json(cached, data)


def _reusable_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
    """A recorded final outcome; otherwise None, with the record pending again (a timeout is retried)."""
    cached = _cached_outcome(record, cache_dir)
    if cached is not None and record.status not in TRANSIENT_STATUSES:
        return cached
    record.status, record.reason = "pending", ""
    return None


def _parse_and_record(record: FileRecord, cache_dir: Path | None) -> DocumentResult:
    """Parse and extract one file, and record its outcome whatever it is."""
    result = _process(record, cache_dir)
    _record_outcome(result, cache_dir)
    return result


def _timed_out(record: FileRecord, timeout_s: float, cache_dir: Path | None) -> DocumentResult:
    record.status, record.reason = "parse_timeout", (
        f"{record.file_name}: parsing took longer than {timeout_s:g} s and was stopped; "
        "the PDF may be pathological — re-export it, or raise ZHIJIAO_PARSE_TIMEOUT_S."
    )
    result = DocumentResult(file=record)
    _record_outcome(result, cache_dir)
    return result


def collect_outcomes(records: list[FileRecord], cache_dir: Path) -> list[DocumentResult]:
    """Every file's recorded outcome, without parsing: what the parse batches produced."""
    results = []
    for record in records:
        cached = _cached_outcome(record, cache_dir) if record.status == "pending" else None
        if record.status == "pending" and cached is None:
            batch = parse_batch_of(record.file_name)
            record.status, record.reason = "not_parsed", (
                f"{record.file_name}: not parsed yet (its parse batch {batch} has not run since the file "
                f"changed); materialize parsed_reports partition {batch}, or run a full refresh."
            )
        results.append(cached or DocumentResult(file=record))
    return results


_BACKSTOP_S = 30.0
# Modules a parse worker needs, imported once by the fork server instead of by every worker.
_PARSE_WORKER_MODULES = [__name__, "cpca"]


def parse_workers_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server: a fresh single-threaded process (so forking is safe, unlike
    forking Dagster's) that has imported the parser once, so each worker starts in milliseconds
    where a spawned one spends a second importing it (every file, for a refresh with one new file)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PARSE_WORKER_MODULES)
    return ctx


def warm_up_parse_workers() -> None:
    """Start the fork server now: it imports the parser on a spare core while the caller loads Dagster."""
    from multiprocessing import forkserver

    parse_workers_context()  # sets what the server preloads
    forkserver.ensure_running()


class _ParseDeadline(BaseException):
    """Raised in a worker by its own timer. A BaseException, so parser code that catches Exception
    cannot swallow it."""


def _raise_deadline(signum, frame):
    raise _ParseDeadline


def _prepare_worker(environ: dict[str, str], cwd: str) -> None:
    # The fork server keeps the environment it started with; limits such as ZHIJIAO_MAX_PAGES are
    # the caller's as of now, as a spawned worker would see them. The timer each file sets stops it here.
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    signal.signal(signal.SIGALRM, _raise_deadline)


def _worker(args):
    """One file in a worker, stopped by the worker's own timer: the worker then records the timeout
    and takes the next file, so the pool never has to stop a worker that may hold its queue lock."""
    record, cache_dir, timeout_s = args
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            return _parse_and_record(record, cache_dir)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _ParseDeadline:
        return _timed_out(record, timeout_s, cache_dir)


def process_all(records: list[FileRecord], cache_dir: Path | None, workers: int | None = None,
                timeout_s: float | None = None, progress=None) -> list[DocumentResult]:
    """Process files in parallel worker processes (pdfplumber is not thread-safe), each with a timeout;
    files with a recorded outcome (same content, name and extraction version) are read in-process."""
    results = {r.path: DocumentResult(file=r) for r in records if r.status != "pending"}
    pending = []
    for record in (r for r in records if r.status == "pending"):
        cached = _reusable_outcome(record, cache_dir)
        if cached is not None:  # unchanged: no worker needed
            results[record.path] = cached
            if progress:
                progress(record)
        else:
            pending.append(record)
    # Worker processes even for one file (the per-file timeout needs a process it can stop), unless
    # the caller asks for workers=1: in-process, for debugging.
    in_process = workers == 1
    workers = workers or max(1, min(len(pending), os.cpu_count() or 1, 8))
    if in_process or not pending:
        for record in pending:
            results[record.path] = _parse_and_record(record, cache_dir)
            if progress:
                progress(record)
    else:
        timeout_s = timeout_s or parse_timeout_s()
        with parse_workers_context().Pool(workers, maxtasksperchild=50, initializer=_prepare_worker,
                                          initargs=(dict(os.environ), os.getcwd())) as pool:
            futures = [(r, pool.apply_async(_worker, ((r, cache_dir, timeout_s),))) for r in pending]
            for record, future in futures:
                try:
                    # The worker's timer stops a slow parse; this backstop is for code its signal
                    # cannot interrupt (a native call that never returns).
                    results[record.path] = future.get(timeout=timeout_s + _BACKSTOP_S)
                except multiprocessing.TimeoutError:
                    results[record.path] = _timed_out(record, timeout_s, cache_dir)
                if progress:
                    progress(results[record.path].file)
            pool.terminate()
    return [results[r.path] for r in records]
