"""Steward overrides (overrides/fact_overrides.csv): validated here, applied in dbt."""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from ..errors import ZhijiaoError
from ..extraction.catalog import load_catalog
from ..paths import REPO_ROOT

COLUMNS = ["source_file", "entity", "period_year", "indicator", "action", "corrected_value", "reviewer", "note"]
# Where an added figure stands: the page and the words copied from it. Older files without them load.
ADD_COLUMNS = ["page", "snippet"]
ALL_COLUMNS = COLUMNS + ADD_COLUMNS
ACTIONS = {"accept_value", "dismiss", "release", "add"}
CORRECTING = {"accept_value", "add"}  # the value column holds the steward's figure
YEAR, PAGE = re.compile(r"(19|20)[0-9]{2}"), re.compile(r"[0-9]{1,5}")  # ASCII digits: ２０２３ is no year here
# A release line names a file and nothing else (the whole report out of quarantine), or one fact.
FACT_KEY = ["entity", "period_year", "indicator"]


class OverrideError(ZhijiaoError, ValueError):
    """overrides/fact_overrides.csv cannot be applied: the message names the line and the fix."""


def overrides_path() -> Path:
    return Path(os.environ.get("ZHIJIAO_OVERRIDES_FILE", REPO_ROOT / "overrides" / "fact_overrides.csv"))


def _check_value(where: str, text: str, indicator, action: str = "accept_value") -> None:
    """A corrected value is a finite number within the indicator's plausible range (indicators.csv)."""
    try:
        value = float(text)
    except ValueError:
        raise OverrideError(f"{where}: {action} needs a numeric corrected_value, not «{text}».") from None
    if not math.isfinite(value):
        raise OverrideError(f"{where}: corrected_value «{text}» is not a finite number; write the value itself, such as 95.2.")
    low, high = indicator.min_plausible, indicator.max_plausible
    if not low <= value <= high:
        raise OverrideError(
            f"{where}: corrected_value {text} for {indicator.code} ({indicator.name_zh}, {indicator.unit}) is outside "
            f"its plausible range {low:g}–{high:g}; check the value and its unit (indicators.csv holds the range)."
        )


def load_overrides(path: Path | None = None, text: str | None = None) -> pd.DataFrame:
    """The override table (of the file, or of text meant for it), or OverrideError naming the file,
    the line and the fix."""
    path = path or overrides_path()
    if text is None and not path.exists():
        return _typed(pd.DataFrame(columns=ALL_COLUMNS))
    if text is None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OverrideError(f"{path} is not UTF-8 text (GBK, as Excel saves it on Chinese Windows?); "
                                "save it as CSV UTF-8 and refresh again.") from None
    if not text.strip():
        return _typed(pd.DataFrame(columns=ALL_COLUMNS))
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise OverrideError(f"{path} is not a well-formed CSV file ({exc}); "
                            "check its quotes and commas.") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise OverrideError(f"{path}: missing column(s) {', '.join(missing)}; "
                            f"the header must be {','.join(ALL_COLUMNS)}.")
    for column in ADD_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    catalog = {ind.code: ind for ind in load_catalog()}
    first_line: dict[tuple, int] = {}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path}, line {number}"
        key = (row.source_file, row.entity, row.period_year, row.indicator)
        if key in first_line:
            raise OverrideError(f"{where}: line {first_line[key]} already decides "
                                f"{', '.join(k for k in key if k)}; "
                                "keep one decision per file, entity, year and indicator.")
        first_line[key] = number
        if row.action not in ACTIONS:
            raise OverrideError(f"{where}: action «{row.action}» must be accept_value, dismiss, release "
                                "or add.")
        if not row.source_file.strip():
            raise OverrideError(f"{where}: source_file is empty; name the report's file in raw/.")
        if row.action == "release" and not any(getattr(row, c).strip() for c in FACT_KEY):
            continue  # the whole report
        if row.indicator not in catalog:
            raise OverrideError(f"{where}: indicator «{row.indicator}» is not a code in indicators.csv.")
        if not YEAR.fullmatch(row.period_year):
            raise OverrideError(f"{where}: period_year «{row.period_year}» must be a year such as 2023.")
        if row.action in CORRECTING:
            _check_value(where, row.corrected_value, catalog[row.indicator], row.action)
        elif row.corrected_value.strip():
            raise OverrideError(f"{where}: {row.action} keeps the value as extracted; "
                                "leave corrected_value empty (accept_value takes a corrected one).")
        if row.action == "add":
            if not row.entity.strip():
                raise OverrideError(f"{where}: add needs the entity the figure is about, such as 新乡市.")
            if not PAGE.fullmatch(row.page) or int(row.page) < 1:
                raise OverrideError(f"{where}: add needs the page the figure stands on (from 1), "
                                    f"not «{row.page}».")
            if not re.search(r"\d", row.snippet):
                raise OverrideError(f"{where}: add needs a snippet holding the figure: "
                                    "the words around it, copied from the page.")
    frame = frame[ALL_COLUMNS].replace({"corrected_value": {"": None}, "period_year": {"": None},
                                        "page": {"": None}})
    return _typed(frame)  # the index stays line - 2


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({"period_year": "Int64", "corrected_value": "float64", "page": "Int64"})


KEY = ["source_file", "entity", "period_year", "indicator"]


def check_overrides_match(overrides: pd.DataFrame, facts: pd.DataFrame, path: Path | None = None) -> None:
    """OverrideError naming every override line that matches no extracted fact (a misspelt entity, a
    wrong year), with the facts its file does hold for that indicator."""
    path = path or overrides_path()
    known = set(zip(facts["source_file"], facts["entity"], facts["period_year"].astype(int), facts["indicator"]))
    problems = []
    for index, row in overrides.iterrows():
        if row.action == "add":
            continue  # check_additions
        if row.action == "release" and pd.isna(row.period_year):
            if not (facts["source_file"] == row.source_file).any():
                problems.append(f"{path}, line {index + 2}: release names {row.source_file}, "
                                "which gave no facts in this refresh; check the file name against the "
                                "documents table, or delete the line.")
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


def check_additions(overrides: pd.DataFrame, documents: pd.DataFrame, facts: pd.DataFrame,
                    path: Path | None = None) -> pd.DataFrame:
    """The add lines as facts (method steward, with their provenance), or OverrideError naming every
    line that cannot be one: its file not loaded, its page not in the file or not holding the
    snippet, its entity unknown, or its figure already extracted (load_overrides refuses a figure
    decided twice)."""
    from ..extraction.fact import Fact
    from ..reports.pdf import page_text
    from ..reports.text import squeezed

    path = path or overrides_path()
    adds = overrides[overrides["action"] == "add"]
    if adds.empty:
        return pd.DataFrame(columns=facts.columns)
    catalog = load_catalog()
    extracted = set(zip(facts["source_file"], facts["entity"], facts["period_year"].astype(int),
                        facts["indicator"]))
    problems, rows = [], []
    for index, row in adds.iterrows():
        where = f"{path}, line {index + 2}"
        key = (row.source_file, row.entity, int(row.period_year), row.indicator)
        document = documents[(documents["file_name"] == row.source_file) & (documents["status"] == "loaded")]
        if document.empty:
            problems.append(f"{where}: add names {row.source_file}, which is not a loaded report in raw/; "
                            "check the file name against the documents table.")
            continue
        document = document.iloc[0]
        if key in extracted:
            problems.append(f"{where}: {row.entity} {row.period_year} {row.indicator} was extracted from "
                            "that file already; correct it with an accept_value line instead of adding it.")
            continue
        if not document["path"] or not Path(document["path"]).is_file():
            problems.append(f"{where}: {row.source_file} is no longer in raw/; "
                            "put it back or delete the line.")
            continue
        if int(row.page) > int(document["page_count"]):
            problems.append(f"{where}: page {row.page} is past the end of {row.source_file} "
                            f"({document['page_count']} pages).")
            continue
        if squeezed(row.snippet) not in squeezed(page_text(Path(document["path"]), int(row.page))):
            problems.append(f"{where}: the snippet «{row.snippet}» is not on page {row.page} "
                            f"of {row.source_file}; copy the words around the figure from that page.")
            continue
        entity = _entity_of(row.entity, document, facts)
        if isinstance(entity, str):
            problems.append(f"{where}: {entity}")
            continue
        level, admin_code = entity
        indicator = catalog[row.indicator]
        rows.append(Fact(row.source_file, document["sha256"], int(row.page), row.entity, level, admin_code,
                         int(row.period_year), row.indicator, float(row.corrected_value), indicator.unit,
                         row.snippet.strip(), "steward", "steward.add", printed=str(row.corrected_value),
                         confidence=1.0,
                         confidence_reason=f"added by {row.reviewer or 'a steward'}: {row.note}"))
    if problems:
        raise OverrideError(" | ".join(problems))
    return pd.DataFrame([asdict(f) for f in rows], columns=facts.columns)


def _entity_of(name: str, document: pd.Series, facts: pd.DataFrame) -> tuple[str, str] | str:
    """(level, admin code) of an entity a steward names: the report's subject, an entity its facts
    name, or a division inside the report's area by its full name; else why not, in words."""
    from ..extraction.divisions import divisions
    from ..extraction.places import contains

    if name == document["subject"]:
        return document["level"], document["admin_code"]
    named = facts[(facts["source_file"] == document["file_name"]) & (facts["entity"] == name)]
    if not named.empty:
        return named.iloc[0]["entity_level"], named.iloc[0]["admin_code"]
    area = document["admin_code"] or ""
    found = [d for d in divisions().values() if d.name == name]
    inside = [d for d in found if area and (d.code == area or contains(area, d.code))]
    if len(inside) == 1:
        return inside[0].level, inside[0].code
    if len(inside) > 1:
        return (f"entity «{name}» names {len(inside)} divisions ({', '.join(d.code for d in inside)}); "
                "write the one meant with its parent, as the facts table names it.")
    if found:
        return (f"entity «{name}» ({', '.join(d.code for d in found)}) is outside the area of the "
                f"report's subject {document['subject']} ({area or 'no code'}); "
                "add it from a report of that area.")
    return (f"entity «{name}» is neither the report's subject ({document['subject']}), "
            "an entity its facts name, nor a division's full name; "
            "write it as the documents or facts table gives it.")
