"""How sure extraction is of each fact, and why: the rule that read it, its plausibility, and the
other statements of the same figure in the report."""

from __future__ import annotations

from collections import defaultdict

from .catalog import Catalog
from .fact import CONFIDENCE_THRESHOLD, Fact

# What each reading rule is worth on its own: a term right before its number is the surest; a
# figure carried over from the clause before, a restatement for another year, less so.
RULE_CONFIDENCE = {
    "prose.alias_before_number": 0.95,
    "prose.inline_share": 0.9,
    "prose.respectively": 0.9,
    "prose.all_of": 0.85,
    "prose.share_of_previous": 0.85,
    "prose.amount_of_previous": 0.85,
    "prose.per_student_of_previous": 0.85,
    "prose.counted_noun": 0.85,
    "prose.comparison_base": 0.8,
    "prose.year_again": 0.8,
    "prose.listed_school_type": 0.8,
    "prose.counted_in_schools": 0.75,
    "prose.number_before_term": 0.85,
    "prose.value_after_remark": 0.8,
    "prose.changed_to": 0.85,
    "prose.pointed_back": 0.8,
    "table.ruled": 0.9,
    "table.borderless": 0.85,
    "table.ocr": 0.85,  # a table rebuilt from text read off a picture, like a borderless one
}
SUBSET_PENALTY = 0.2  # "昆明市管辖的中职学校中…": a part of the area, believed when nothing else is said
REVIEW_CONFIDENCE = 0.45  # below CONFIDENCE_THRESHOLD: kept for the steward, out of the marts


def _precedence(fact: Fact) -> tuple:
    """The statement the report means: a believable one, read by a rule, about the whole area, then
    exact, prose, page order (as the marts choose)."""
    return (fact.confidence < CONFIDENCE_THRESHOLD, fact.rule == "prose.scored", "subset" in fact.confidence_reason,
            fact.approximate, fact.method != "prose", fact.page)


def assess(facts: list[Fact], catalog: Catalog) -> list[Fact]:
    """Set each fact's confidence and reason; of differing values for one figure, all but the
    preferred statement go to review."""
    for fact in facts:
        reasons = [fact.rule]
        confidence = fact.confidence if fact.confidence < 1.0 else RULE_CONFIDENCE.get(fact.rule, 0.8)
        if fact.confidence_reason:
            reasons.append(fact.confidence_reason)
            if "subset" in fact.confidence_reason:
                confidence -= SUBSET_PENALTY
        if fact.approximate:
            confidence -= 0.05
            reasons.append("approximate")
        if not catalog[fact.indicator].plausible(fact.value, fact.entity_level):
            confidence = min(confidence, REVIEW_CONFIDENCE)
            reasons.append(f"{fact.value:g} is implausible for a {fact.entity_level}")
        fact.confidence, fact.confidence_reason = round(confidence, 2), "; ".join(reasons)
    by_figure: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_figure[(fact.entity, fact.period_year, fact.indicator)].append(fact)
    _review_subsets_of_a_report_that_states_the_whole(facts, by_figure)
    for statements in by_figure.values():
        if len({round(f.value, 6) for f in statements}) < 2:
            continue
        chosen = min(statements, key=_precedence)
        for fact in statements:
            if round(fact.value, 6) != round(chosen.value, 6):
                fact.confidence = min(fact.confidence, REVIEW_CONFIDENCE)
                fact.confidence_reason += f"; the report also states {chosen.value:g} (page {chosen.page}), preferred"
    return facts


def _review_subsets_of_a_report_that_states_the_whole(facts: list[Fact], by_figure: dict[tuple, list[Fact]]) -> None:
    """A report that gives one figure for the whole area and another for a part of its schools
    (昆明市 18.72万 and 管辖的 65782) uses that scope word for a true part: none of its part
    figures is the area's. Where it never does, the part is all it says (区属中职校 of a district)."""
    distinguishes = any(
        {"subset" in f.confidence_reason for f in statements} == {True, False}
        and len({round(f.value, 6) for f in statements}) > 1
        for statements in by_figure.values()
    )
    if not distinguishes:
        return
    for fact in facts:
        if "subset" in fact.confidence_reason:
            fact.confidence = min(fact.confidence, REVIEW_CONFIDENCE)
            fact.confidence_reason += "; the report states the whole area's figures apart from this part"


def accepted(facts: list[Fact]) -> list[Fact]:
    """The facts that flow to the marts."""
    return [f for f in facts if f.confidence >= CONFIDENCE_THRESHOLD]
