"""The indicator catalog (dbt_project/seeds/indicators.csv): codes, canonical units and aliases."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import DBT_PROJECT_DIR

CATALOG_PATH = DBT_PROJECT_DIR / "seeds" / "indicators.csv"

# Quotes and half/full-width brackets vary between producers; aliases match either form.
_QUOTES = "“”\"‘’'「」"
_EQUIVALENT = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "：": "[：:]"}


def alias_pattern(alias: str) -> str:
    """Regex for an alias that tolerates quotes, spaces and bracket width between characters."""
    parts = []
    for char in alias:
        if char in _QUOTES or char.isspace():
            continue
        parts.append(_EQUIVALENT.get(char, re.escape(char)))
    gap = f"[{_QUOTES}\\s*]*"
    return gap.join(parts)


# How many schools' worth an additive figure of each level may add up to, at most.
LEVEL_SCALE = {"school": 1, "county": 30, "city": 300, "province": 3000}


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    unit: str
    kind: str  # count | rate | ratio | money
    aliases: tuple[str, ...]
    per_student_code: str
    share_code: str
    count_code: str  # the count behind an amount (助学金金额 → 助学金人次)
    subset_of: str
    direction: str
    additive: bool
    part_of: str  # the whole this part adds up to, with its sibling parts
    denominator_code: str  # for a stated share: the whole it is a share of
    rollup_denominator: str  # what a rate is a share of when areas are summed (就业率: 毕业生数)
    role: str  # indicator (published) | component (only feeds consistency checks)
    context: tuple[str, ...]  # words one of which the sentence must contain (省|自治区 for provincial competitions)
    counted_as: str  # a classifier + noun that follows the number ("个专业")
    pattern: re.Pattern | None
    first_chars: frozenset[str] = frozenset()  # the characters its aliases begin with
    # The range a true value can take (a rate 0–100): extraction doubts a value outside it, and a
    # steward's override outside it is refused; max_plausible is the widest bound (a province).
    min_plausible: float = 0.0
    max_plausible: float = float("inf")
    max_per_school: float | None = None  # additive counts and amounts scale with the level

    @property
    def published(self) -> bool:
        return self.role != "component"

    def in_context(self, text: str) -> bool:
        return not self.context or any(word in text for word in self.context)

    def plausible(self, value: float, level: str) -> bool:
        """Whether a value is believable for an entity of this level (a school, county, city, province)."""
        top = self.max_per_school * LEVEL_SCALE.get(level, 3000) if self.max_per_school else self.max_plausible
        return self.min_plausible <= value <= top


@dataclass(frozen=True, eq=False)  # hashed by identity: derived tables are cached per catalog
class Catalog:
    indicators: dict[str, Indicator]

    def __iter__(self):
        return iter(self.indicators.values())

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    def published(self) -> list[Indicator]:
        """Indicators that become facts and mart columns (not consistency-check components)."""
        return [ind for ind in self.indicators.values() if ind.published]

    def find_aliases(self, text: str) -> list[tuple[int, int, str]]:
        """Every alias occurrence, nested ones included: (start, end, code)."""
        return list(_alias_occurrences(self, text))


# The rules search a sentence, its clauses and the text around each figure again and again: a
# report has ~12 searches per distinct text.
@lru_cache(maxsize=4096)
def _alias_occurrences(catalog: Catalog, text: str) -> tuple[tuple[int, int, str], ...]:
    hits = []
    present = set(text)
    for ind in catalog.indicators.values():
        # An alias can only start at one of its first characters: skip indicators with none here.
        if ind.pattern is None or not ind.first_chars & present:
            continue
        for m in ind.pattern.finditer(text):
            hits.append((m.start(1), m.end(1), ind.code))
    return tuple(hits)


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    indicators = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # The indicator's own Chinese name (双师型教师占比) names it too.
            names = {a.strip() for a in row["aliases_zh"].split("|") if a.strip()} | {row["name_zh"].strip()} - {""}
            aliases = tuple(sorted(names, key=len, reverse=True))
            # Overlapping matches: a lookahead finds every start position.
            pattern = re.compile("(?=(" + "|".join(alias_pattern(a) for a in aliases) + "))") if aliases else None
            indicators[row["code"]] = Indicator(
                code=row["code"],
                name_zh=row["name_zh"],
                unit=row["unit"],
                kind=row["kind"],
                aliases=aliases,
                per_student_code=row.get("per_student_code", ""),
                share_code=row.get("share_code", ""),
                count_code=row.get("count_code", ""),
                subset_of=row.get("subset_of", ""),
                direction=row.get("direction", "higher_better"),
                additive=row.get("additive", "false") == "true",
                part_of=row.get("part_of", ""),
                denominator_code=row.get("denominator_code", ""),
                rollup_denominator=row.get("rollup_denominator", ""),
                role=row.get("role", "") or "indicator",
                context=tuple(w for w in row.get("context_zh", "").split("|") if w),
                counted_as=row.get("counted_as_zh", ""),
                pattern=pattern,
                first_chars=frozenset(next((c for c in a if c not in _QUOTES and not c.isspace()), "") for a in aliases),
                min_plausible=float(row.get("min_plausible") or 0),
                max_plausible=float(row.get("max_plausible") or "inf"),
                max_per_school=float(row["max_per_school"]) if row.get("max_per_school") else None,
            )
    return Catalog(indicators)
