"""A steward's decision on the review page becomes a line of overrides/fact_overrides.csv, validated
as the refresh validates it (warehouse/overrides.py) before the file is rewritten atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd

from ..paths import build_db_path, write_text_atomic
from ..warehouse.overrides import (ALL_COLUMNS, check_additions, check_overrides_match, load_overrides,
                                   overrides_path)
from ..warehouse.store import sandboxed_connection
from .items import report_path

# What each button writes: the override action.
ACTIONS = {"accept": "dismiss", "dismiss": "dismiss", "correct": "accept_value", "release": "release",
           "release_fact": "release", "add": "add"}


def _loaded_frames(published: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts and documents the refresh checks a line against: the build database's raw tables,
    or, while a refresh holds that file, the published ones (which lack the component facts)."""
    try:
        with duckdb.connect(str(build_db_path()), read_only=True) as con:
            return (con.execute("select * from raw.facts where method <> 'steward'").df(),
                    con.execute("select * from raw.documents").df())
    except duckdb.Error:
        pass
    with sandboxed_connection(published) as con:
        facts = con.execute("""
            select source_file, entity_name as entity, entity_level, admin_code, period_year, indicator
            from facts where method <> 'steward'""").df()
        documents = con.execute("""
            select source_file as file_name, status, subject, level, admin_code, page_count, sha256
            from documents""").df()
    documents["path"] = [str(report_path(published, name) or "") for name in documents["file_name"]]
    return facts, documents


def _text_with(line: dict, path: Path) -> str:
    """The overrides file with one more line, under the full header (older files gain its columns)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame()
    frame = frame.reindex(columns=ALL_COLUMNS, fill_value="")
    frame = pd.concat([frame, pd.DataFrame([line]).reindex(columns=ALL_COLUMNS, fill_value="")],
                      ignore_index=True)
    out = io.StringIO()
    frame.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return out.getvalue()


def record(line: dict, published: Path, path: Path | None = None) -> None:
    """Validate the file with the line as a refresh would, then write it; OverrideError names the line."""
    path = path or overrides_path()
    text = _text_with(line, path)
    overrides = load_overrides(path, text=text)
    facts, documents = _loaded_frames(published)
    check_overrides_match(overrides, facts, path)
    check_additions(overrides, documents, facts, path)
    write_text_atomic(path, text)
