"""raw/ listed and vetted without parsing (empty, not a PDF, too big, duplicate); limits; parse batches."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..reports.pdf import sha256_file


def max_file_bytes() -> int:
    return int(float(os.environ.get("ZHIJIAO_MAX_FILE_MB", "200")) * 1024 * 1024)


def max_pages() -> int:
    return int(os.environ.get("ZHIJIAO_MAX_PAGES", "400"))


def parse_timeout_s() -> float:
    return float(os.environ.get("ZHIJIAO_PARSE_TIMEOUT_S", "300"))


def parse_memory_mb() -> int:
    """Address space each parse worker may use. 2 GB: a 400-page report needs a few hundred MB, and two
    workers (one per core) stay far inside a 24 GB machine shared with Dagster, dbt and DuckDB."""
    return int(float(os.environ.get("ZHIJIAO_PARSE_MEMORY_MB", "2048")))


@dataclass
class FileRecord:
    path: str
    file_name: str
    sha256: str
    size_bytes: int
    kind: str  # pdf | other
    status: str = "pending"
    reason: str = ""


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


# Parse batches: a file's batch follows from its name, so a changed file stays in its batch.
PARSE_BATCH_COUNT = 16


def parse_batch_keys() -> list[str]:
    return [f"batch-{i:02d}" for i in range(PARSE_BATCH_COUNT)]


def parse_batch_of(file_name: str) -> str:
    return f"batch-{int(hashlib.sha256(file_name.encode()).hexdigest(), 16) % PARSE_BATCH_COUNT:02d}"
