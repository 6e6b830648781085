"""What a steward has left to do (待办), read from the published warehouse: facts held for review,
facts of reports set aside by a gate, review flags, and core indicators a report did not yield.
Plain functions: the review page (app.py) shows them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..paths import raw_dir
from ..reports.text import squeezed
from ..warehouse.store import sandboxed_connection

KINDS = {"held_for_review": "held for review", "quarantined": "set aside by a gate", "flag": "review flag",
         "missing": "missing core indicator"}


@dataclass
class Item:
    item_id: str
    kind: str
    source_file: str
    page: int | None
    entity: str
    period_year: int | None
    indicator: str
    value: float | None
    rule: str
    detail: str
    snippet: str


def _kind(rule: str, severity: str) -> str:
    if rule == "quarantined":
        return "quarantined"
    return "held_for_review" if severity == "held_back" else "flag"


def open_items(published: Path) -> list[Item]:
    with sandboxed_connection(published) as con:
        issues = con.execute("""
            select issue_id, rule, severity, entity_name, period_year, indicator, value, source_file, page,
                snippet, detail
            from data_quality_issues where status in ('open', 'quarantined')
            order by source_file, page, indicator""").df()
        missing = con.execute("""
            select c.source_file, c.subject, d.body_year, c.indicator, c.indicator_name
            from report_coverage as c join documents as d using (source_file)
            where c.status = 'missing' order by c.source_file, c.indicator""").df()
    items = [Item(r.issue_id, _kind(r.rule, r.severity), r.source_file, _int(r.page), r.entity_name,
                  _int(r.period_year), r.indicator, r.value, r.rule, r.detail or "", r.snippet or "")
             for r in issues.itertuples(index=False)]
    items += [Item(hashlib.md5(f"{r.source_file}|{r.indicator}|missing".encode()).hexdigest(), "missing",
                   r.source_file, None, r.subject, _int(r.body_year), r.indicator, None, "missing",
                   f"{r.indicator_name} ({r.indicator}) is a core indicator of this report's level "
                   "and was not found",
                   "") for r in missing.itertuples(index=False)]
    return items


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def filtered(items: list[Item], file: str = "", indicator: str = "", rule: str = "",
             kind: str = "") -> list[Item]:
    return [i for i in items if (not file or i.source_file == file)
            and (not indicator or i.indicator == indicator)
            and (not rule or i.rule == rule) and (not kind or i.kind == kind)]


@lru_cache(maxsize=1)
def _explainer():
    """One spawned process that parses reports for their explanations: parsing installs pdfium's
    stand-in CJK font (reports/pdfium_fonts.py) for the whole process, and this process renders
    pages for people to read."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


@lru_cache(maxsize=64)
def _explained(path: Path, mtime: float) -> list[tuple]:
    return _explainer().submit(explanation_of, path).result(timeout=300)


def explanation_of(path: Path) -> list[tuple]:
    from ..extraction.explain import explanation_rows
    from ..extraction.extract import read_report

    return explanation_rows(*read_report(path))


def report_path(published: Path, name: str) -> Path | None:
    """The loaded report of that name in raw/ (its folders too), by its published sha256; None for a
    file the refresh did not load (too large, not a report): the page never renders those."""
    from ..reports.pdf import sha256_file

    with sandboxed_connection(published) as con:
        row = con.execute("select sha256 from documents where source_file = ? and status = 'loaded'",
                          [name]).fetchone()
    if row is None:
        return None
    found = [p for p in raw_dir().rglob(name) if p.is_file()]
    if len(found) > 1:
        found = [p for p in found if sha256_file(p) == row[0]]
    return found[0] if found else None


# confidence.py's words when a report states one figure twice: the other statement won.
PREFERRED_STATEMENT = re.compile(r"the report also states (\S+) \(page (\d+)\), preferred")


def runner_up(path: Path, item: Item) -> str:
    """What else the number could have been: the indicator extract --explain ranks second, or the
    report's other statement of the same figure; "" when there is none."""
    stated = PREFERRED_STATEMENT.search(item.detail)
    if stated:
        return (f"{item.indicator} = {stated.group(1)} (page {stated.group(2)}), "
                "the statement the rules preferred")
    if item.page is None or not path.exists():
        return ""
    try:
        rows = _explained(path, path.stat().st_mtime)
    except Exception:  # a report that no longer parses: the page says so elsewhere
        return ""
    snippet = squeezed(item.snippet)
    for page, _, context, _, second, *_ in rows:
        if page == item.page and second and squeezed(context) in snippet:
            return second
    return ""
