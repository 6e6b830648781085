"""Score extracted facts against hand-labelled gold CSVs (doc,entity,entity_level,period_year,indicator,value,snippet)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .fact import Fact


@dataclass
class Score:
    doc: str
    gold: int = 0
    extracted: int = 0
    correct: int = 0
    misses: list[dict] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)  # extracted, not in gold
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


def score(doc: str, facts: list[Fact], gold_rows: list[dict]) -> Score:
    result = Score(doc)
    gold = {_key(r["entity"], r["period_year"], r["indicator"], r["value"]): r for r in gold_rows}
    got = {_key(f.entity, f.period_year, f.indicator, f.value): f for f in facts}
    result.gold, result.extracted = len(gold), len(got)
    for key, row in gold.items():
        result.per_indicator[key[2]][0] += 1
        if key in got:
            result.correct += 1
            result.per_indicator[key[2]][2] += 1
        else:
            result.misses.append(row)
    for key, fact in got.items():
        result.per_indicator[key[2]][1] += 1
        if key not in gold:
            result.wrong.append(
                {"entity": fact.entity, "period_year": fact.period_year, "indicator": fact.indicator,
                 "value": fact.value, "page": fact.page, "snippet": fact.snippet, "rule": fact.rule}
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
    from .extract import extract_report

    scores = []
    for gold in sorted(gold_dir.glob("*.csv")):
        pdf = reports / f"{gold.stem}.pdf"
        if not pdf.exists():
            continue
        facts = extract_report(parse_pdf(pdf), pdf.name)
        scores.append(score(gold.stem, facts, load_gold(gold)))
    return scores


def run_eval(console, reports: Path, gold_dir: Path) -> int:
    from rich.table import Table

    scores = evaluate_folder(reports, gold_dir)
    if not scores:
        console.print(f"[red]no PDF in {reports} has a gold file in {gold_dir}[/]")
        return 1
    table = Table(title="Extraction against gold", title_justify="left")
    for col in ("report", "gold", "extracted", "correct", "recall", "precision"):
        table.add_column(col)
    for s in scores:
        table.add_row(s.doc, str(s.gold), str(s.extracted), str(s.correct), f"{s.recall:.3f}", f"{s.precision:.3f}")
    recall, precision = totals(scores)
    table.add_row("all", *(str(sum(getattr(s, k) for s in scores)) for k in ("gold", "extracted", "correct")),
                  f"{recall:.3f}", f"{precision:.3f}")
    console.print(table)
    per = Table(title="Per indicator (gold / extracted / correct)", title_justify="left")
    for col in ("indicator", "gold", "extracted", "correct"):
        per.add_column(col)
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in scores:
        for code, counts in s.per_indicator.items():
            merged[code] = [a + b for a, b in zip(merged[code], counts)]
    for code, (g, e, c) in sorted(merged.items()):
        per.add_row(code, str(g), str(e), str(c))
    console.print(per)
    for s in scores:
        for m in s.misses:
            console.print(f"MISS  {s.doc} {m['entity']} {m['period_year']} {m['indicator']}={m['value']}  «{m['snippet']}»")
        for w in s.wrong:
            console.print(f"WRONG {s.doc} {w['entity']} {w['period_year']} {w['indicator']}={w['value']} p{w['page']} "
                          f"[{w['rule']}]  «{w['snippet']}»")
    return 0
