"""Steward overrides (overrides/fact_overrides.csv): validated here, applied in dbt."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from ..errors import ZhijiaoError
from ..extraction.catalog import load_catalog
from ..paths import REPO_ROOT

COLUMNS = ["source_file", "entity", "period_year", "indicator", "action", "corrected_value", "reviewer", "note"]
ACTIONS = {"accept_value", "dismiss", "release"}
# A release line names a file and nothing else (the whole report out of quarantine), or one fact.
FACT_KEY = ["entity", "period_year", "indicator"]


class OverrideError(ZhijiaoError, ValueError):
    """overrides/fact_overrides.csv cannot be applied: the message names the line and the fix."""


def overrides_path() -> Path:
    return Path(os.environ.get("ZHIJIAO_OVERRIDES_FILE", REPO_ROOT / "overrides" / "fact_overrides.csv"))


def _check_value(where: str, text: str, indicator) -> None:
    """A corrected value is a finite number within the indicator's plausible range (indicators.csv)."""
    try:
        value = float(text)
    except ValueError:
        raise OverrideError(f"{where}: accept_value needs a numeric corrected_value, not «{text}».") from None
    if not math.isfinite(value):
        raise OverrideError(f"{where}: corrected_value «{text}» is not a finite number; write the value itself, such as 95.2.")
    low, high = indicator.min_plausible, indicator.max_plausible
    if not low <= value <= high:
        raise OverrideError(
            f"{where}: corrected_value {text} for {indicator.code} ({indicator.name_zh}, {indicator.unit}) is outside "
            f"its plausible range {low:g}–{high:g}; check the value and its unit (indicators.csv holds the range)."
        )


def load_overrides(path: Path | None = None) -> pd.DataFrame:
    """The override table, or OverrideError naming the file, the line and the fix."""
    path = path or overrides_path()
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS).astype({"period_year": "Int64", "corrected_value": "float64"})
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise OverrideError(f"{path}: missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}.")
    catalog = {ind.code: ind for ind in load_catalog()}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path}, line {number}"
        if row.action not in ACTIONS:
            raise OverrideError(f"{where}: action «{row.action}» must be accept_value, dismiss or release.")
        if not row.source_file.strip():
            raise OverrideError(f"{where}: source_file is empty; name the report's file in raw/.")
        if row.action == "release" and not any(getattr(row, c).strip() for c in FACT_KEY):
            continue  # the whole report
        if row.indicator not in catalog:
            raise OverrideError(f"{where}: indicator «{row.indicator}» is not a code in indicators.csv.")
        if not row.period_year.isdigit():
            raise OverrideError(f"{where}: period_year «{row.period_year}» must be a year such as 2023.")
        if row.action == "accept_value":
            _check_value(where, row.corrected_value, catalog[row.indicator])
    frame = frame[COLUMNS].replace({"corrected_value": {"": None}, "period_year": {"": None}})  # the index stays line - 2
    return frame.astype({"period_year": "Int64", "corrected_value": "float64"})


KEY = ["source_file", "entity", "period_year", "indicator"]


def check_overrides_match(overrides: pd.DataFrame, facts: pd.DataFrame, path: Path | None = None) -> None:
    """OverrideError naming every override line that matches no extracted fact (a misspelt entity, a
    wrong year), with the facts its file does hold for that indicator."""
    path = path or overrides_path()
    known = set(zip(facts["source_file"], facts["entity"], facts["period_year"].astype(int), facts["indicator"]))
    problems = []
    for index, row in overrides.iterrows():
        if row.action == "release" and pd.isna(row.period_year):
            if not (facts["source_file"] == row.source_file).any():
                problems.append(f"{path}, line {index + 2}: release names {row.source_file}, which gave no facts "
                                "in this refresh; check the file name against the documents table, or delete the line.")
            continue
        if (row.source_file, row.entity, int(row.period_year), row.indicator) in known:
            continue
        same = facts[(facts["source_file"] == row.source_file) & (facts["indicator"] == row.indicator)]
        if (facts["source_file"] == row.source_file).any():
            found = sorted({f"{e} {y}" for e, y in zip(same["entity"], same["period_year"])})
            hint = (f"that file states {row.indicator} for: {', '.join(found[:8])}" if found
                    else f"that file states no {row.indicator}")
        else:
            hint = "no file of that name was loaded from raw/"
        problems.append(f"{path}, line {index + 2}: {row.action} matches no extracted fact "
                        f"({row.source_file}, {row.entity}, {row.period_year}, {row.indicator}); {hint}. "
                        "Fix the line to name a fact listed in data_quality_issues or facts, or delete it.")
    if problems:
        raise OverrideError(" | ".join(problems))
