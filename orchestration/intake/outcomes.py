"""Each file's outcome (facts, or a status and reason), recorded per content, name and extraction
version under the parse cache; final outcomes are reused, transient ones retried."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from ..errors import NothingLoaded
from ..extraction.fact import Fact
from ..extraction.learned import model_version
from ..warehouse.fingerprint import project_files_digest
from .inventory import FileRecord, parse_batch_of
from ..reports.ocr import TIMEOUT_STATUS
from .parse_cache import PARSER_VERSION, warn_unreadable, write_json


# Outcomes that depend on the machine, not the file: retried on the next refresh.
TRANSIENT_STATUSES = {"parse_timeout", "memory_limit", "read_error"}
OCR_TIMEOUT_MARK = f"({TIMEOUT_STATUS})"  # as a page problem's reason names it


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
    ocr_pages: int = 0  # pages (or pictures on them) read by OCR
    page_problems: str = ""  # pages OCR could not read (ocr_failed, ocr_timeout), each with its reason
    facts: list[Fact] = field(default_factory=list)

    @property
    def retry_later(self) -> bool:
        """An outcome that depends on the machine, not the file (a timeout, the memory limit, a page
        whose OCR ran out of time): recorded, but the next refresh tries the file again."""
        return self.file.status in TRANSIENT_STATUSES or OCR_TIMEOUT_MARK in self.page_problems

    def document_row(self) -> dict:
        row = asdict(self.file)
        row.update(
            title=self.title, subject=self.subject, level=self.level, admin_code=self.admin_code,
            report_year=self.report_year, body_year=self.body_year, document_type=self.document_type,
            school_code=self.school_code, review_reason=self.review_reason, page_count=self.page_count,
            fact_count=len(self.facts), ocr_pages=self.ocr_pages, page_problems=self.page_problems,
        )
        return row


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """Changes whenever extraction code, the learned scorer or the catalog seeds change, so cached
    facts are redone."""
    code_and_seeds = project_files_digest(("orchestration/extraction/*.py", "dbt_project/seeds/*.csv"))
    return hashlib.sha256(f"{PARSER_VERSION}|{code_and_seeds}|{model_version()}".encode()).hexdigest()[:16]



def _outcome_cache_path(record: FileRecord, cache_dir: Path | None, transient: bool = False) -> Path | None:
    """Final outcomes and transient ones (retried on the next refresh) are recorded apart."""
    if cache_dir is None:
        return None
    key = hashlib.sha256(f"{record.sha256}|{record.file_name}|{extraction_version()}".encode()).hexdigest()[:32]
    return cache_dir / f"{key}.{'transient' if transient else 'outcome'}.json"


def _read_outcome(path: Path | None) -> tuple[str, str, DocumentResult] | None:
    """A recorded outcome (status, reason, result without its file), or None when there is none or it
    cannot be read (truncated, garbled): then the file is parsed again and the entry rewritten."""
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        status, reason = data.pop("file")["status"], data.pop("file_reason", "")
        facts = [Fact(**f) for f in data.pop("facts")]
        return status, reason, DocumentResult(file=None, facts=facts, **data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        warn_unreadable(path, exc)
        path.unlink(missing_ok=True)
        return None


def has_final_outcome(record: FileRecord, cache_dir: Path | None) -> bool:
    """True when this content, name and extraction version were parsed before: nothing to redo."""
    return _read_outcome(_outcome_cache_path(record, cache_dir)) is not None


def cached_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
    """The outcome a previous parse of this content, name and extraction version recorded."""
    recorded = _read_outcome(_outcome_cache_path(record, cache_dir))
    if recorded is None:
        recorded = _read_outcome(_outcome_cache_path(record, cache_dir, transient=True))
    if recorded is None:
        return None
    # Where the file lives now comes from the inventory; what parsing found comes from the cache.
    status, reason, result = recorded
    record.status, record.reason = status, reason or record.reason
    result.file = record
    return result


def record_outcome(result: DocumentResult, cache_dir: Path | None) -> None:
    cached = _outcome_cache_path(result.file, cache_dir, transient=result.retry_later)
    if cached is not None:
        # Every field is a scalar but the facts, whose fields are: asdict's deep copies are a tenth
        # of a small report's parse.
        data = {f.name: getattr(result, f.name) for f in fields(result)}
        data["facts"] = [vars(fact) for fact in result.facts]
        data["file"] = {"status": result.file.status}
        data["file_reason"] = result.file.reason
        write_json(cached, data)


def reusable_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
    """A recorded final outcome; otherwise None, with the record pending again (a timeout is retried)."""
    cached = cached_outcome(record, cache_dir)
    if cached is not None and not cached.retry_later:
        return cached
    record.status, record.reason = "pending", ""
    return None


def collect_outcomes(records: list[FileRecord], cache_dir: Path) -> list[DocumentResult]:
    """Every file's recorded outcome, without parsing: what the parse batches produced."""
    results = []
    for record in records:
        cached = cached_outcome(record, cache_dir) if record.status == "pending" else None
        if record.status == "pending" and cached is None:
            batch = parse_batch_of(record.file_name)
            record.status, record.reason = "not_parsed", (
                f"{record.file_name}: not parsed yet (its parse batch {batch} has not run since the file "
                f"changed); materialize parsed_reports partition {batch}, or run a full refresh."
            )
        results.append(cached or DocumentResult(file=record))
    return results


def require_loaded(results: list[DocumentResult], raw: Path) -> None:
    """NothingLoaded when no file gave a report: publishing that would empty the warehouse (an unmounted
    or emptied raw/ is the usual cause), so the refresh stops before the build database is touched."""
    if any(r.file.status == "loaded" for r in results):
        return
    if not results:
        where = "does not exist" if not raw.is_dir() else "holds no files"
        raise NothingLoaded(f"{raw} {where}, so there is no report to load; check that raw/ is mounted and holds the "
                            "report PDFs (or pass --raw). The published warehouse is unchanged.")
    statuses = Counter(r.file.status for r in results)
    first = next(r.file.reason for r in results if r.file.reason)
    raise NothingLoaded(
        f"none of the {len(results)} file(s) in {raw} could be loaded ("
        + ", ".join(f"{n} {status}" for status, n in statuses.most_common())
        + f"; first: {first}). The published warehouse is unchanged."
    )
