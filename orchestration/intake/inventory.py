"""raw/ listed and vetted without parsing (empty, not a PDF, too big, duplicate); limits; parse batches."""

from __future__ import annotations

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
