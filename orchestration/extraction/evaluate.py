"""Score extracted facts against hand-labelled gold CSVs (doc,entity,entity_level,period_year,indicator,value,snippet)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .rules import Fact


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
