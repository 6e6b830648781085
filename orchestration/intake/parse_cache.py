"""Parsed reports kept per file content (sha256) and parser version, so a file is parsed once."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from ..paths import write_text_atomic
from ..reports.model import ParsedReport
from ..reports.ocr import TIMEOUT_STATUS, engine_version
from ..reports.pdf import parse_pdf
from .inventory import max_pages

log = logging.getLogger(__name__)
# Bump the number when parsing changes, so cached parses are redone; another OCR engine or model
# reads scans differently, so its version is part of the key too.
PARSER_VERSION = "7-" + hashlib.sha256(engine_version().encode()).hexdigest()[:8]


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.v{PARSER_VERSION}.json"


def warn_unreadable(path: Path, exc: BaseException) -> None:
    log.warning("%s: unreadable parse-cache entry (%s); it is ignored and the file parsed again.", path, type(exc).__name__)


def write_json(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False))


def parse_cached(path: Path, sha256: str, cache_dir: Path | None) -> ParsedReport:
    """Parse once per sha256: an unchanged file is read from the cache."""
    if cache_dir is not None:
        cached = _cache_path(cache_dir, sha256)
        if cached.exists():
            try:
                return ParsedReport.from_dict(json.loads(cached.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:  # truncated or garbled: parse again
                warn_unreadable(cached, exc)
    parsed = parse_pdf(path, max_pages=max_pages(), sha256=sha256)
    # a page whose OCR ran out of time is read again next time, perhaps on a less busy machine
    if cache_dir is not None and not any(p["status"] == TIMEOUT_STATUS for p in parsed.ocr_pages):
        write_json(_cache_path(cache_dir, sha256), parsed.to_dict())
    return parsed
