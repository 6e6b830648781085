"""Steward overrides (overrides/fact_overrides.csv): validated here, applied in dbt."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import ZhijiaoError
from ..extraction.catalog import load_catalog
from ..paths import REPO_ROOT

COLUMNS = ["source_file", "entity", "period_year", "indicator", "action", "corrected_value", "reviewer", "note"]
ACTIONS = {"accept_value", "dismiss"}


class OverrideError(ZhijiaoError, ValueError):
    """overrides/fact_overrides.csv cannot be applied: the message names the line and the fix."""


def overrides_path() -> Path:
    return Path(os.environ.get("ZHIJIAO_OVERRIDES_FILE", REPO_ROOT / "overrides" / "fact_overrides.csv"))


def load_overrides(path: Path | None = None) -> pd.DataFrame:
    """The override table, or OverrideError naming the file, the line and the fix."""
    path = path or overrides_path()
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS).astype({"period_year": "Int64", "corrected_value": "float64"})
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise OverrideError(f"{path}: missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}.")
    codes = {ind.code for ind in load_catalog()}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path}, line {number}"
        if row.action not in ACTIONS:
            raise OverrideError(f"{where}: action «{row.action}» must be accept_value or dismiss.")
        if row.indicator not in codes:
            raise OverrideError(f"{where}: indicator «{row.indicator}» is not a code in indicators.csv.")
        if not row.period_year.isdigit():
            raise OverrideError(f"{where}: period_year «{row.period_year}» must be a year such as 2023.")
        if row.action == "accept_value":
            try:
                float(row.corrected_value)
            except ValueError:
                raise OverrideError(f"{where}: accept_value needs a numeric corrected_value, not «{row.corrected_value}».") from None
    frame = frame[COLUMNS].replace({"corrected_value": {"": None}})
    return frame.astype({"period_year": "Int64", "corrected_value": "float64"})
