"""`zhijiao extract --explain`: for every number in a report, which indicator won, the runner-up, and why."""

from __future__ import annotations

from rich.table import Table

from ..reports.model import ParsedReport
from .candidates import prose_candidates
from .catalog import load_catalog
from .documents import ReportMeta
from .entities import Entity
from .fact import CONFIDENCE_THRESHOLD, Fact
from .scoring import decide


def explanation_rows(parsed: ParsedReport, meta: ReportMeta, facts: list[Fact]) -> list[tuple]:
    """(page, number, context, outcome, runner-up, why) for every prose number, then every table fact."""
    catalog = load_catalog()
    subject = Entity(meta.subject, meta.level, meta.admin_code)
    by_place: dict[tuple[int, str], list[Fact]] = {}
    for fact in facts:
        by_place.setdefault((fact.page, fact.printed), []).append(fact)
    rows = []
    for candidate in prose_candidates(parsed.blocks, subject, meta.body_year or meta.report_year or 0):
        q = candidate.quantity
        best, runner_up, _, why = decide(candidate, catalog)
        read = [f for f in by_place.get((candidate.page, q.printed), []) if f.method == "prose"]
        if read:
            outcome = "; ".join(f"{f.indicator} {f.period_year} = {f.value:g} ({f.confidence:.2f}"
                                f"{'' if f.confidence >= CONFIDENCE_THRESHOLD else ', review'})" for f in read)
            why = "; ".join(sorted({f.confidence_reason for f in read}))
            # The runner-up is the best-scoring indicator other than the one read.
            runner_up = best if best and best.indicator not in {f.indicator for f in read} else runner_up
        else:
            outcome = "—"
        rows.append((candidate.page, q.printed + q.unit, candidate.snippet, outcome,
                     f"{runner_up.indicator} ({runner_up.score:.2f})" if runner_up else "", why))
    for fact in (f for f in facts if f.method == "table"):
        rows.append((fact.page, fact.printed, fact.snippet, f"{fact.indicator} {fact.period_year} = {fact.value:g} "
                     f"({fact.confidence:.2f})", "", fact.confidence_reason))
    return rows


def explain(console, parsed: ParsedReport, meta: ReportMeta, facts: list[Fact]) -> None:
    table = Table(title=f"{parsed.title}: {len(facts)} facts (below {CONFIDENCE_THRESHOLD} confidence: review)",
                  title_justify="left")
    for col in ("page", "number", "context", "read as", "runner-up", "why"):
        table.add_column(col, overflow="fold")
    for row in explanation_rows(parsed, meta, facts):
        table.add_row(*[str(v) for v in row])
    console.print(table)
