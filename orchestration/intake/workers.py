"""Parsing and extracting each pending file in a pool of worker processes, each file with a time limit."""

from __future__ import annotations

import errno
import gc
import math
import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from ..extraction.documents import NotAReport, report_meta
from ..extraction.extract import extract_report
from ..reports.pdf import ReportError
from .inventory import FileRecord, parse_memory_mb, parse_timeout_s
from .outcomes import DocumentResult, record_outcome, reusable_outcome
from .parse_cache import parse_cached


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
    except MemoryError:
        gc.collect()
        return _over_memory_limit(record)
    except OSError as exc:
        record.status, record.reason = "read_error", (
            f"{record.file_name}: could not be read ({exc.strerror or type(exc).__name__}); check the disk or "
            "mount holding raw/. The next refresh tries it again."
        )
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
    result.ocr_pages, result.page_problems = len(parsed.ocr_pages), "; ".join(parsed.ocr_problems())
    if not meta.settled:
        return _unsettled(result, len(facts))
    result.facts = facts
    record.status = "loaded" if facts else "no_facts"
    if not facts:
        record.reason = f"{record.file_name}: parsed, but no indicator facts were found; check the report or extend the catalog."
    return result


# A report whose subject is not settled loads no facts: they would have no entity (and the gates
# take no fact without one). stg_documents accepts no status of its own for it yet.
UNSETTLED_STATUS = "no_facts"


def _unsettled(result: DocumentResult, held: int) -> DocumentResult:
    record = result.file
    record.status = UNSETTLED_STATUS
    record.reason = (f"{record.file_name}: held for review, {held} facts not loaded: {result.review_reason} "
                     f"`zhijiao extract {record.file_name} --include-review` lists them.")
    return result


_RAISE_MEMORY = ("re-export it, or raise ZHIJIAO_PARSE_MEMORY_MB. If it happens again with more memory, "
                 "report the file.")


def _memory_limit_reason(record: FileRecord, stopped_by: str = "") -> str:
    how = (f"the parse worker stopped abruptly ({stopped_by}), most likely out of the {parse_memory_mb()} MB "
           "it may use" if stopped_by else
           f"parsing needed more than the {parse_memory_mb()} MB a parse worker may use and was stopped")
    return f"{record.file_name}: {how}; the PDF may be pathological — {_RAISE_MEMORY}"


def _over_memory_limit(record: FileRecord) -> DocumentResult:
    record.status, record.reason = "memory_limit", _memory_limit_reason(record)
    return DocumentResult(file=record)


def _failed(record: FileRecord, status: str, reason: str, cache_dir: Path | None) -> DocumentResult:
    """A file the worker could not finish, recorded with its status and what to do."""
    record.status, record.reason = status, reason
    result = DocumentResult(file=record)
    record_outcome(result, cache_dir)
    return result


def _lost_in_worker(record: FileRecord, exc: Exception, cache_dir: Path | None) -> DocumentResult:
    """A result the worker could not return: out of memory while sending it is the memory limit
    (retried next time); anything else is a parser failure to report."""
    if "MemoryError" in repr(exc):
        return _failed(record, "memory_limit", _memory_limit_reason(record), cache_dir)
    return _failed(record, "parse_error", (
        f"{record.file_name}: the parse worker failed ({type(exc).__name__}: {str(exc)[:160]}); "
        "report this file to the zhijiao maintainers."
    ), cache_dir)


def _stuck_reason(record: FileRecord) -> str:
    return (f"{record.file_name}: the parse worker stopped responding: it spent its time limit in code its "
            "timer cannot interrupt, which is how a parse can end that runs out of the "
            f"{parse_memory_mb()} MB it may use (the interpreter retries a failed allocation), or a PDF "
            "the reader loops on; "
            f"{_RAISE_MEMORY}")


def _died_in_worker(record: FileRecord, exc: ProcessExpired, cache_dir: Path | None) -> DocumentResult:
    """A worker that ended abruptly on this file. Under the address-space cap that is how running out
    of memory often ends (Python aborts when even raising MemoryError fails; native code segfaults on
    a failed allocation; the OOM killer kills), so it is the memory limit, retried next time."""
    code = exc.exitcode or 0
    if code == -signal.SIGXCPU:
        return _failed(record, "memory_limit", _stuck_reason(record), cache_dir)
    if code < 0 and -code in signal.valid_signals():
        return _failed(record, "memory_limit", _memory_limit_reason(record, signal.Signals(-code).name), cache_dir)
    return _failed(record, "parse_error", (
        f"{record.file_name}: the parse worker exited with code {code} while reading it; "
        "report this file to the zhijiao maintainers."
    ), cache_dir)


def _parse_and_record(record: FileRecord, cache_dir: Path | None) -> DocumentResult:
    """Parse and extract one file, and record its outcome whatever it is."""
    result = _process(record, cache_dir)
    record_outcome(result, cache_dir)
    return result


def _timed_out(record: FileRecord, timeout_s: float, cache_dir: Path | None) -> DocumentResult:
    return _failed(record, "parse_timeout", (
        f"{record.file_name}: parsing took longer than {timeout_s:g} s and was stopped; "
        "the PDF may be pathological — re-export it, or raise ZHIJIAO_PARSE_TIMEOUT_S."
    ), cache_dir)


_BACKSTOP_S = 30.0
# A worker is replaced after this many files, which bounds what a long run can leak (about 1 MB per
# hundred reports here); each replacement waits for the pool's next 0.1 s tick.
_FILES_PER_WORKER = 250
# Modules a parse worker needs, imported once by the fork server instead of by every worker;
# parse_preload also loads there what a parse loads on first use.
_PARSE_WORKER_MODULES = [__name__, "cpca", "orchestration.intake.parse_preload"]


def parse_workers_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server: a fresh single-threaded process (so forking is safe, unlike
    forking Dagster's) that has imported the parser once, so each worker starts in milliseconds
    where a spawned one spends a second importing it (every file, for a refresh with one new file)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PARSE_WORKER_MODULES)
    return ctx


def _started() -> None:
    pass


def start_parse_workers() -> None:
    """Start the workers' fork server and wait until it has imported and warmed the parser (what a
    pool's first worker waits for); process_all then forks workers from it at once."""
    process = parse_workers_context().Process(target=_started)
    process.start()
    process.join()


class _ParseDeadline(BaseException):
    """Raised in a worker by its own timer. A BaseException, so parser code that catches Exception
    cannot swallow it."""


def _raise_deadline(signum, frame):
    raise _ParseDeadline


def _limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: an allocation past it raises MemoryError in this worker (recorded
    as memory_limit) instead of swapping the machine or waking the OOM killer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes << 20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# CPU seconds past a file's time limit before the kernel stops a worker whose timer could not fire.
_STUCK_GRACE_S = 5


def _limit_cpu(timeout_s: float) -> None:
    """Stop the worker (SIGXCPU) once this file has used timeout_s + grace of CPU. Its own timer stops any
    parse that runs Python; only code that never returns to the interpreter gets this far, such as
    CPython 3.11's unwinding after a failed allocation under the address-space cap, which retries
    forever (python/cpython#132508)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + timeout_s) + _STUCK_GRACE_S
    if hard != resource.RLIM_INFINITY:
        soft = max(1, min(soft, hard - 1))  # at the hard limit the kernel sends SIGKILL, not SIGXCPU
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _prepare_worker(environ: dict[str, str], cwd: str) -> None:
    # The fork server keeps the environment it started with; limits such as ZHIJIAO_MAX_PAGES are
    # the caller's as of now, as a spawned worker would see them. The timer each file sets stops it here.
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    signal.signal(signal.SIGALRM, _raise_deadline)
    _limit_memory(parse_memory_mb())
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker stopped by SIGXCPU leaves no core file


def _worker(record: FileRecord, cache_dir: Path | None, timeout_s: float):
    """One file in a worker, stopped by the worker's own timer: the worker then records the timeout
    and takes the next file, so the pool never has to stop a worker that may hold its queue lock."""
    try:
        _limit_cpu(timeout_s)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            return _parse_and_record(record, cache_dir)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _ParseDeadline:
        return _timed_out(record, timeout_s, cache_dir)
    except (MemoryError, OSError) as exc:
        # Out of memory outside the parse itself (importing a module the parse needs, recording the
        # outcome): the same limit, reported the same way, and never recorded as final.
        if isinstance(exc, OSError) and exc.errno != errno.ENOMEM:
            raise
        del exc
        gc.collect()  # free what the failed parse held, so the result can still be sent back
        return _over_memory_limit(record)


def _close_behind(pool: ProcessPool) -> None:
    """Let the idle workers exit while the caller goes on: pebble's join waits for its loops' next
    0.1 s ticks, a tenth of a small refresh's parse. The thread is not a daemon, so the process still
    waits for it before it exits."""
    pool.close()
    threading.Thread(target=pool.join, name="parse-pool-close").start()


def process_all(records: list[FileRecord], cache_dir: Path | None, workers: int | None = None,
                timeout_s: float | None = None, progress=None) -> list[DocumentResult]:
    """Process files in parallel worker processes (pdfplumber is not thread-safe), each with a timeout;
    files with a recorded outcome (same content, name and extraction version) are read in-process."""
    results = {r.path: DocumentResult(file=r) for r in records if r.status != "pending"}
    pending = []
    for record in (r for r in records if r.status == "pending"):
        cached = reusable_outcome(record, cache_dir)
        if cached is not None:  # unchanged: no worker needed
            results[record.path] = cached
            if progress:
                progress(cached)
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
                progress(results[record.path])
    else:
        timeout_s = timeout_s or parse_timeout_s()
        # The worker's timer stops a slow parse; the pool's timeout is the backstop for code its signal
        # cannot interrupt (a native call that never returns), and it tells which file a dead worker held.
        pool = ProcessPool(workers, max_tasks=_FILES_PER_WORKER, initializer=_prepare_worker,
                           initargs=(dict(os.environ), os.getcwd()), context=parse_workers_context())
        try:
            # Largest files first, so no long file starts last while the other workers sit idle.
            futures = [(r, pool.schedule(_worker, (r, cache_dir, timeout_s), timeout=timeout_s + _BACKSTOP_S))
                       for r in sorted(pending, key=lambda r: -r.size_bytes)]
            for record, future in futures:
                try:
                    results[record.path] = future.result()
                except FutureTimeout:
                    results[record.path] = _timed_out(record, timeout_s, cache_dir)
                except ProcessExpired as exc:
                    results[record.path] = _died_in_worker(record, exc, cache_dir)
                except Exception as exc:  # the worker could not send its result back
                    results[record.path] = _lost_in_worker(record, exc, cache_dir)
                if progress:
                    progress(results[record.path])
        finally:
            _close_behind(pool)
    return [results[r.path] for r in records]
