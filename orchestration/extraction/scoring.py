"""Which indicator a number is: every candidate scored against every published indicator by how
much of an indicator's names its surrounding terms cover, whether the unit fits, whether a
per-student word is there, and whether the magnitude is plausible for the entity's level."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .candidates import Candidate
from .catalog import Catalog, Indicator
from .context import ReportContext
from .prose_patterns import AFTER_OK, OTHER_LEVEL, PER_STUDENT
from .scope import alias_hits, qualified
from .units import to_canonical

# Scores are what share of an indicator's name the nearby terms cover, plus a unique-unit bonus.
# Rules read the sentence shapes they know; a number they leave is proposed for review when it
# scores MIN_SCORE, and flows to the marts only when nearly every term is there and no other
# indicator comes close.
MIN_SCORE = 0.7
FLOW_SCORE = 0.95
MIN_MARGIN = 0.3
UNIQUE_UNIT_BONUS = 0.25  # 所, 册: a unit only one indicator is counted in


@dataclass
class Assignment:
    indicator: str
    score: float
    value: float
    reasons: list[str] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


@lru_cache(maxsize=4)
def _terms(catalog: Catalog) -> dict[str, list[tuple[str, set[str]]]]:
    """Each published indicator's names (name_zh and aliases) as bigram sets."""
    base = {ind.per_student_code: ind for ind in catalog if ind.per_student_code}

    def names(ind: Indicator) -> set[str]:
        # A per-student figure is also named by what it divides ("每位学生…56.62册图书").
        return {ind.name_zh, *ind.aliases} | (names(base[ind.code]) if ind.code in base else set())

    # In a fixed order (longest first), so that of names covered alike the same one is tried on every run.
    return {ind.code: [(name, _bigrams(name)) for name in sorted(names(ind), key=lambda n: (-len(n), n))
                       if len(name) >= 2] for ind in catalog.published()}


@lru_cache(maxsize=256)
def _units_of(catalog: Catalog, unit: str) -> int:
    return sum(1 for ind in catalog.published() if to_canonical(1, unit, ind.unit) is not None)


def _fits(ind: Indicator, unit: str, per_student: bool) -> bool:
    """Whether a number in this unit can be the indicator's."""
    if not unit and ind.kind != "ratio":
        return False
    if (unit == ":1") != (ind.kind == "ratio" and "/" not in ind.unit):
        return False
    if per_student != ("/生" in ind.unit or ind.name_zh.startswith("生均")):
        return False
    return to_canonical(1, unit, ind.unit) is not None


@lru_cache(maxsize=1024)
def _fitting(catalog: Catalog, unit: str, per_student: bool) -> tuple[str, ...]:
    """The indicators (in _terms' order) a number in this unit can be: rank weighs only those."""
    return tuple(code for code in _terms(catalog) if _fits(catalog[code], unit, per_student))


def _names_the_number(name: str, candidate: Candidate, catalog: Catalog, ind: Indicator) -> bool:
    """The name ends the phrase right before the number ("…满意度90%") and nothing narrows it
    (体育课专任教师), or the name follows the unit and ends the clause ("共有12所中等职业学校").
    The term that ends the phrase must be this indicator's or a relative's: in "双师型教师中高级职称
    教师85人" it is 高级职称教师, so 85 is not the 双师型教师 count."""
    if candidate.before.endswith(name[-2:]):
        hits = alias_hits(catalog, candidate.before)
        family = {ind.code, ind.count_code, ind.share_code, ind.per_student_code} - {""}
        ending = [h for h in hits if h.end == len(candidate.before)]
        return any(h.code in family or ind.code in {catalog[h.code].count_code, catalog[h.code].share_code,
                                                       catalog[h.code].per_student_code} for h in ending) \
            and not any(qualified(candidate.before, h.start, hits) for h in ending)
    return candidate.after.startswith(name) and AFTER_OK.match(candidate.after[len(name) :]) is not None


def possible_values(candidate: Candidate, catalog: Catalog) -> dict[str, float]:
    """The published indicators this number can be a value of, by unit, per-student words and
    context words, each with the number in its unit."""
    context = candidate.before + candidate.after[:6]
    per_student = bool(PER_STUDENT.search(context)) or "/生" in candidate.quantity.unit
    out, q = {}, candidate.quantity
    for code in _fitting(catalog, q.unit, per_student):
        ind = catalog[code]
        value = to_canonical(q.number, q.unit, ind.unit)
        if ind.context and (not ind.in_context(candidate.sentence) or OTHER_LEVEL.search(candidate.sentence)):
            continue  # 省级技能大赛 needs 省 in the sentence and no 全国, as the rules ask
        out[code] = value
    return out


def rank(candidate: Candidate, catalog: Catalog, values: dict[str, float] | None = None) -> list[Assignment]:
    """Indicators this number could be, best first."""
    words = _bigrams(candidate.before + candidate.after[:6])
    out = []
    values = possible_values(candidate, catalog) if values is None else values
    for code, value in values.items():
        ind, names = catalog[code], _terms(catalog)[code]
        name, bigrams = max(names, key=lambda n: len(n[1] & words) / len(n[1]))
        covered = len(bigrams & words) / len(bigrams)
        if not covered or not _names_the_number(name, candidate, catalog, ind):
            continue
        reasons = [f"terms cover {covered:.0%} of «{name}»"]
        score = covered
        if _units_of(catalog, candidate.quantity.unit) == 1:
            score += UNIQUE_UNIT_BONUS
            reasons.append(f"only {ind.name_zh} is counted in {candidate.quantity.unit}")
        if not ind.plausible(value, candidate.entity.level):
            score -= 0.5
            reasons.append(f"{value:g} is implausible for a {candidate.entity.level}")
        out.append(Assignment(code, round(score, 3), value, reasons))
    return sorted(out, key=lambda a: a.score, reverse=True)


def decide(candidate: Candidate, catalog: Catalog) -> tuple[Assignment | None, Assignment | None, float, str]:
    """(winner, runner-up, confidence, why) for one number."""
    ranked = rank(candidate, catalog)
    best = ranked[0] if ranked else None
    runner_up = ranked[1] if len(ranked) > 1 else None
    if candidate.blocked:
        return None, best, 0.0, candidate.blocked
    if best is None or best.score < MIN_SCORE:
        return None, best, 0.0, "no indicator's terms are near enough"
    margin = best.score - (runner_up.score if runner_up else 0.0)
    why = "; ".join(best.reasons)
    if margin < MIN_MARGIN:
        why += f"; close to {runner_up.indicator} ({runner_up.score:.2f})"
    flows = best.score >= FLOW_SCORE and margin >= MIN_MARGIN
    return best, runner_up, (0.65 if flows else 0.45), why
