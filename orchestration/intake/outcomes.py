"""Each file's outcome (facts, or a status and reason), recorded per content, name and extraction
version under the parse cache; final outcomes are reused, transient ones retried."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from ..extraction.fact import Fact
from ..warehouse.fingerprint import project_files_digest
from .inventory import FileRecord, parse_batch_of
from .parse_cache import PARSER_VERSION, write_json


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


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """Changes whenever extraction code or the catalog seeds change, so cached facts are redone."""
    code_and_seeds = project_files_digest(("orchestration/extraction/*.py", "dbt_project/seeds/*.csv"))
    return hashlib.sha256(f"{PARSER_VERSION}|{code_and_seeds}".encode()).hexdigest()[:16]


# Outcomes that depend on the machine, not the file: retried on the next refresh.
TRANSIENT_STATUSES = {"parse_timeout"}


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


def cached_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
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


def record_outcome(result: DocumentResult, cache_dir: Path | None) -> None:
    cached = _outcome_cache_path(result.file, cache_dir, transient=result.file.status in TRANSIENT_STATUSES)
    if cached is not None:
        data = asdict(result)
        data["file"] = {"status": result.file.status}
        data["file_reason"] = result.file.reason
        write_json(cached, data)


def reusable_outcome(record: FileRecord, cache_dir: Path | None) -> DocumentResult | None:
    """A recorded final outcome; otherwise None, with the record pending again (a timeout is retried)."""
    cached = cached_outcome(record, cache_dir)
    if cached is not None and record.status not in TRANSIENT_STATUSES:
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
