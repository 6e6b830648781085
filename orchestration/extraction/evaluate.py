"""Score extracted facts against hand-labelled gold CSVs (doc,entity,entity_level,period_year,indicator,value,snippet).

Only accepted facts (confidence at or above the threshold, the ones that reach the marts) count as
extracted; each miss is given its cause, so a regression shows where it comes from.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .confidence import accepted
from .fact import Fact

# Why a gold fact was not among the accepted ones, in the order they are tried.
MISS_CAUSES = ("document not recognised", "held for review", "other entity", "other year", "other value", "not read")


@dataclass
class Score:
    doc: str
    gold: int = 0
    extracted: int = 0
    correct: int = 0
    review: int = 0  # facts held for review (not counted as extracted)
    misses: list[dict] = field(default_factory=list)  # gold rows, each with its "cause"
    wrong: list[dict] = field(default_factory=list)  # extracted, not in gold; "cause": other value | not in gold
    per_indicator: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # gold, extracted, correct

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0


def _key(entity: str, year, indicator: str, value) -> tuple:
    return (entity, int(year), indicator, round(float(value), 3))


def load_gold(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cause(row: dict, key: tuple, facts: list[Fact], got: dict, recognised: bool) -> str:
    entity, year, indicator, value = key
    if not recognised:
        return "document not recognised"
    if any(_key(f.entity, f.period_year, f.indicator, f.value) == key for f in facts):
        return "held for review"
    if any((f.period_year, f.indicator, round(f.value, 3)) == (year, indicator, value) for f in got.values()):
        return "other entity"
    if any((f.entity, f.indicator, round(f.value, 3)) == (entity, indicator, value) for f in got.values()):
        return "other year"
    if any((f.entity, f.period_year, f.indicator) == (entity, year, indicator) for f in got.values()):
        return "other value"
    return "not read"


def score(doc: str, facts: list[Fact], gold_rows: list[dict], recognised: bool = True) -> Score:
    result = Score(doc)
    gold = {_key(r["entity"], r["period_year"], r["indicator"], r["value"]): r for r in gold_rows}
    flowing = accepted(facts)
    got = {_key(f.entity, f.period_year, f.indicator, f.value): f for f in flowing}
    result.gold, result.extracted, result.review = len(gold), len(got), len(facts) - len(flowing)
    gold_figures = {k[:3] for k in gold}
    for key, row in gold.items():
        result.per_indicator[key[2]][0] += 1
        if key in got:
            result.correct += 1
            result.per_indicator[key[2]][2] += 1
        else:
            result.misses.append({**row, "cause": _cause(row, key, facts, got, recognised)})
    for key, fact in got.items():
        result.per_indicator[key[2]][1] += 1
        if key not in gold:
            result.wrong.append(
                {"entity": fact.entity, "period_year": fact.period_year, "indicator": fact.indicator,
                 "value": fact.value, "page": fact.page, "snippet": fact.snippet, "rule": fact.rule,
                 "cause": "other value" if key[:3] in gold_figures else "not in gold"}
            )
    return result


def totals(scores: list[Score]) -> tuple[float, float]:
    gold = sum(s.gold for s in scores)
    extracted = sum(s.extracted for s in scores)
    correct = sum(s.correct for s in scores)
    return (correct / gold if gold else 1.0, correct / extracted if extracted else 1.0)


def evaluate_folder(reports: Path, gold_dir: Path) -> list[Score]:
    """Extract every PDF in `reports` that has a gold CSV of the same stem, and score it."""
    from ..reports.pdf import parse_pdf
    from .documents import NotAReport
    from .extract import extract_report

    scores = []
    for gold in sorted(gold_dir.glob("*.csv")):
        pdf = reports / f"{gold.stem}.pdf"
        if not pdf.exists():
            continue
        try:
            facts, recognised = extract_report(parse_pdf(pdf), pdf.name), True
        except NotAReport:
            facts, recognised = [], False
        scores.append(score(gold.stem, facts, load_gold(gold), recognised))
    return scores


def _table(title: str, columns: list[str], rows):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[str(v) for v in row])
    return table


def run_eval(console, reports: Path, gold_dir: Path) -> int:
    scores = evaluate_folder(reports, gold_dir)
    if not scores:
        console.print(f"[red]no PDF in {reports} has a gold file in {gold_dir}[/]")
        return 1
    recall, precision = totals(scores)
    rows = [(s.doc, s.gold, s.extracted, s.correct, s.review, f"{s.recall:.3f}", f"{s.precision:.3f}") for s in scores]
    rows.append(("all", *(sum(getattr(s, k) for s in scores) for k in ("gold", "extracted", "correct", "review")),
                 f"{recall:.3f}", f"{precision:.3f}"))
    console.print(_table(f"Extraction against {gold_dir}", ["document", "gold", "extracted", "correct", "review", "recall", "precision"], rows))
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in scores:
        for code, counts in s.per_indicator.items():
            merged[code] = [a + b for a, b in zip(merged[code], counts)]
    console.print(_table("Per indicator", ["indicator", "gold", "extracted", "correct"],
                         ((code, *counts) for code, counts in sorted(merged.items()))))
    causes = Counter(m["cause"] for s in scores for m in s.misses)
    extra = Counter(w["cause"] for s in scores for w in s.wrong)
    console.print(_table("Misses by cause", ["cause", "gold facts missed"], ((c, causes[c]) for c in MISS_CAUSES if causes[c])))
    console.print(_table("Extracted facts not in gold", ["cause", "facts"], extra.items()))
    for s in scores:
        for m in s.misses:
            console.print(f"MISS  [{m['cause']}] {s.doc} {m['entity']} {m['period_year']} {m['indicator']}={m['value']}  «{m['snippet']}»")
        for w in s.wrong:
            console.print(f"EXTRA [{w['cause']}] {s.doc} {w['entity']} {w['period_year']} {w['indicator']}={w['value']} "
                          f"p{w['page']} [{w['rule']}]  «{w['snippet']}»")
    return 0
