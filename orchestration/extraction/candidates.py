"""Every number in a report's prose, with what surrounds it: the terms before and after it, its
clause, the period in reach, and the reasons it cannot be a level (a change, another school type,
a sub-count in brackets). Scoring reads these; the rules read the same sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..reports.model import TextBlock
from .entities import Entity
from .scope import (
    CHANGE_WORDS, EXCLUDING, SUBSET_SCOPE, Walk, clause_year, is_year_number, not_its_figure, out_of_scope,
    scope_after,
)
from .units import Quantity, find_quantities

WINDOW = 16  # characters of context before a number that can name it
# Function words between a term and its number ("…满意度达到了", "…总值为").
HEAD_GAP = re.compile(r"(?:[\s“”：:]|为|达到|达|是|了|已|在|有|共计|共|计|约|近|超过|以上)+$")
# A measure word right after a number that is none of the catalog's units (平方米, 台, 门, 学时).
OTHER_MEASURE = re.compile(r"^(?:平方米|平米|亩|台|套|门|学时|课时|间|件|篇|部|本|场|期|天|小时|万平方米|米|公里|辆|岗位|家|种|节|册次)")


@dataclass
class Candidate:
    block_index: int
    position: int  # offset of the number in its block's text
    page: int
    quantity: Quantity
    before: str  # back to the previous number of the sentence, at most WINDOW characters
    after: str  # the rest of the clause, at most 8 characters
    snippet: str
    entity: Entity
    year: int
    blocked: str  # why this number cannot be a level of an indicator; "" when it may be
    subset: str  # the sub-area scope words in force ("管辖的中职学校"), or ""
    sentence: str = ""


def prose_candidates(blocks: list[TextBlock], subject: Entity, body_year: int,
                     walked: Walk) -> list[Candidate]:
    out = []
    for sentence, parts in walked:
        block = blocks[sentence.block_index]
        previous_end, scope = 0, sentence.scope
        for start, clause, entity in parts:
            scope = scope_after(scope, sentence.text, start, clause)
            cut = EXCLUDING.search(clause)
            for q in find_quantities(clause):
                at = start + q.start
                before = HEAD_GAP.sub("", sentence.text[max(previous_end, at - WINDOW, 0) : at])
                after = clause[q.end : q.end + 12]
                previous_end = start + q.end
                blocked = _blocked(clause, q, scope, cut, after) or not_its_figure(
                    sentence.text, start, at, body_year, entity, subject)
                subset = SUBSET_SCOPE.search(sentence.text, 0, at)
                out.append(Candidate(
                    sentence.block_index, sentence.offset + at, block.page_at(sentence.offset + at), q, before, after,
                    sentence.original[max(0, at - 40) : start + q.end + 12].strip(), entity,
                    clause_year(sentence.text, start, at, sentence.year, sentence.written), blocked,
                    subset.group() if subset else "",
                    sentence.text,
                ))
    return out


def _blocked(clause: str, q: Quantity, scope: str | None, cut, after: str) -> str:
    if is_year_number(clause, q):
        return "a date or a year"
    if CHANGE_WORDS.search(clause[: q.start]):
        return "a change or a target"
    if out_of_scope(scope):
        return "about another school type"
    if cut and q.start > cut.start():
        return f"a part of the population ({cut.group()}…)"
    if re.search(r"[（(][^）)]*$", clause[: q.start]):
        return "a sub-count in brackets"
    if not q.unit and OTHER_MEASURE.match(after):
        return f"counted in {OTHER_MEASURE.match(after).group()}, no indicator's unit"
    return ""
