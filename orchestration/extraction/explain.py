"""`zhijiao extract --explain`: each fact with the text it came from, and the numbers no rule claimed."""

from __future__ import annotations

from rich.table import Table

from ..reports.model import ParsedReport
from .fact import Fact
from .units import find_quantities


def unclaimed_numbers(parsed: ParsedReport, facts: list[Fact]) -> list[tuple[int, str, str]]:
    """(page, number, context) for numbers with a unit in the prose that produced no fact."""
    claimed = {(f.page, f.printed) for f in facts}
    out = []
    for block in parsed.blocks:
        if block.kind != "paragraph":
            continue
        for q in find_quantities(block.text):
            if not q.unit or q.unit in ("年",):
                continue
            page = block.page_at(q.start)
            if (page, q.printed) not in claimed:
                out.append((page, q.printed + q.unit, block.text[max(0, q.start - 20) : q.end + 8]))
    return out


def explain(console, parsed: ParsedReport, facts: list[Fact]) -> None:
    table = Table(title=f"{parsed.title}: {len(facts)} facts", title_justify="left")
    for col in ("page", "entity", "year", "indicator", "value", "method / rule", "snippet"):
        table.add_column(col, overflow="fold")
    for f in facts:
        table.add_row(str(f.page), f.entity, str(f.period_year), f.indicator, f"{f.value:g}", f"{f.method} / {f.rule}", f.snippet)
    console.print(table)
    gaps = Table(title="Numbers no rule claimed", title_justify="left")
    for col in ("page", "number", "context"):
        gaps.add_column(col, overflow="fold")
    for page, number, context in unclaimed_numbers(parsed, facts):
        gaps.add_row(str(page), number, context)
    console.print(gaps)
