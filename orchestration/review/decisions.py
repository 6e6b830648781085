"""A steward's decision on the review page becomes a line of overrides/fact_overrides.csv, validated
as the refresh validates it (warehouse/overrides.py) before the file is rewritten atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..paths import raw_dir, write_text_atomic
from ..warehouse.overrides import (ALL_COLUMNS, check_additions, check_overrides_match, load_overrides,
                                   overrides_path)
from ..warehouse.store import sandboxed_connection

# What each button writes: the override action.
ACTIONS = {"accept": "dismiss", "dismiss": "dismiss", "correct": "accept_value", "release": "release", "add": "add"}


def _published_frames(published: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts and documents the refresh would check a line against, from the published tables
    (the build database may be in a refresh's hands)."""
    with sandboxed_connection(published) as con:
        facts = con.execute("""
            select source_file, entity_name as entity, entity_level, admin_code, period_year, indicator
            from facts where method <> 'steward'""").df()
        documents = con.execute("""
            select source_file as file_name, status, subject, level, admin_code, page_count, sha256
            from documents""").df()
    documents["path"] = [str(raw_dir() / name) for name in documents["file_name"]]
    return facts, documents


def _text_with(line: dict, path: Path) -> str:
    """The overrides file with one more line, under the full header (older files gain its columns)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame()
    frame = frame.reindex(columns=ALL_COLUMNS, fill_value="")
    frame = pd.concat([frame, pd.DataFrame([line]).reindex(columns=ALL_COLUMNS, fill_value="")], ignore_index=True)
    out = io.StringIO()
    frame.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return out.getvalue()


def record(line: dict, published: Path, path: Path | None = None) -> None:
    """Validate the file with the line as a refresh would, then write it; OverrideError names the line."""
    path = path or overrides_path()
    text = _text_with(line, path)
    overrides = load_overrides(path, text=text)
    facts, documents = _published_frames(published)
    check_overrides_match(overrides, facts, path)
    check_additions(overrides, documents, facts, path)
    write_text_atomic(path, text)
