"""`zhijiao extract --explain`: for every number in a report, what it was read as, the learned
scorer's pick with its probability and the features behind it, the runner-up, and why."""

from __future__ import annotations

from rich.table import Table

from ..reports.model import ParsedReport
from . import learned
from .documents import ReportMeta
from .extract import extract_report
from .fact import CONFIDENCE_THRESHOLD, Fact

COLUMNS = ("page", "number", "context", "read as", "runner-up", "why", "model")


def _model_column(scorer: learned.Scorer, decision: learned.Decision) -> str:
    features = ", ".join(f"{name} {weight:+.2f}" for name, weight in
                         scorer.contributions(decision.names, decision.indicator))
    return f"{decision.indicator} p={decision.probability:.2f} [{features}]"


def explanation_rows(parsed: ParsedReport, meta: ReportMeta, facts: list[Fact]) -> list[tuple]:
    """(page, number, context, outcome, runner-up, why, model) for every prose number, then every
    table fact."""
    scorer, decisions = learned.load_scorer(), []
    extract_report(parsed, parsed.title, meta=meta, scorer=scorer, decisions=decisions)
    by_place: dict[tuple[int, str], list[Fact]] = {}
    for fact in facts:
        by_place.setdefault((fact.page, fact.printed), []).append(fact)
    rows = []
    for decision in decisions:
        candidate, q = decision.candidate, decision.candidate.quantity
        read = [f for f in by_place.get((candidate.page, q.printed), []) if f.method.startswith("prose")]
        read_as = {f.indicator for f in read}
        if read:
            outcome = "; ".join(f"{f.indicator} {f.period_year} = {f.value:g} ({f.confidence:.2f}"
                                f"{'' if f.confidence >= CONFIDENCE_THRESHOLD else ', review'})"
                                for f in read)
            why = "; ".join(sorted({f.confidence_reason for f in read}))
        else:
            outcome, why = "—", candidate.blocked or "no indicator is likely enough"
        # The runner-up: the model's best other than what was read.
        other = [(p, code) for p, code in ((decision.probability, decision.indicator),
                                           (decision.runner_up_probability, decision.runner_up))
                 if code and code != learned.NONE and code not in read_as and p >= 0.01]
        runner_up = f"{other[0][1]} (p={other[0][0]:.2f})" if other else ""
        rows.append((candidate.page, q.printed + q.unit, candidate.snippet, outcome, runner_up, why,
                     _model_column(scorer, decision)))
    for fact in (f for f in facts if f.method.startswith("table")):
        reading = f"{fact.indicator} {fact.period_year} = {fact.value:g} ({fact.confidence:.2f})"
        rows.append((fact.page, fact.printed, fact.snippet, reading, "", fact.confidence_reason, ""))
    return rows


def explain(console, parsed: ParsedReport, meta: ReportMeta, facts: list[Fact]) -> None:
    scorer = learned.load_scorer()
    title = (f"{parsed.title}: {len(facts)} facts (below {CONFIDENCE_THRESHOLD} confidence: review); "
             f"learned scorer {scorer.version if scorer else 'not trained (make train)'}")
    table = Table(title=title, title_justify="left")
    for col in COLUMNS:
        table.add_column(col, overflow="fold")
    for row in explanation_rows(parsed, meta, facts):
        table.add_row(*[str(v) for v in row])
    console.print(table)
