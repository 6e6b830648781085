"""Catalog-driven rules over prose: each number and the terms, scope and period around it → facts.

Each rule is a pattern over aliases, units and positions, never over one report's wording.
"""

from __future__ import annotations

import re

from ..reports.model import TextBlock
from .catalog import Indicator
from .context import ReportContext, unit_value
from .entities import Entity
from .fact import Fact
from .periods import YEAR_EXPR, period_mentions
from .scope import (
    CHANGE_WORDS, DESTINATION, EXCLUDING, SUBSET_SCOPE, Hit, alias_hits, clause_year, is_year_number,
    not_its_figure, Walk, out_of_scope, qualified, scope_after, segment_of, top_level,
)
from .prose_patterns import (
    AFTER_OK, ANAPHOR, BENEFICIARIES, CHANGED_TO, FROM_YEAR, PER_STUDENT, SCHOOLS_AS_SUBJECT, TERM_TAIL,
    VALUE_AFTER_COMMENT, OTHER_LEVEL, GAP_OK, INLINE_SHARE, ALL_OF, COMPARISON_BASE, YEAR_AGAIN,
    RESPECTIVELY, UNIT_ONLY, LISTED_TYPE, ENUMERATION, SHARE_START, AMOUNT_START, PER_STUDENT_START,
)
from .units import find_quantities, to_canonical

# Where graduates go names further study when it lists several levels ("升入高职（专科）及本科院校").
FURTHER_STUDY = "further_study_total"


def term_hits(catalog, text: str) -> list[Hit]:
    """The aliases of a text, and each destination ("升入高职（专科）及本科院校") as one term."""
    hits = alias_hits(catalog, text)
    for m in DESTINATION.finditer(text):
        if len(m.group("verb")) < 2:
            continue  # one character (纳入, 上升) is no verb of going on
        # Only a list of levels is the whole of further study; one level may be a part of it
        # ("升入本科院校851人，…升入高职专科院校15282人").
        if re.search(r"[及和与、或]", m.group()) and FURTHER_STUDY in catalog.indicators:
            hits.append(Hit(m.start(), m.end(), FURTHER_STUDY))
    return hits


class ProseExtractor:
    def __init__(self, ctx: ReportContext):
        self.ctx = ctx
        self.catalog = ctx.catalog

    def run(self, blocks: list[TextBlock], walked: Walk) -> None:
        self._sentence_facts: list[Fact] = []
        block_index = None
        for sentence, parts in walked:
            # The facts of the paragraph's sentence before: what "这一数据" points back to.
            self._earlier = self._sentence_facts if sentence.block_index == block_index else []
            block_index = sentence.block_index
            block = blocks[sentence.block_index]
            self._original, self._block_index, self._default_year = block.text, sentence.block_index, sentence.year
            self._sentence(sentence.text, block, sentence.offset, parts, sentence.scope)

    def _sentence(self, sentence: str, block: TextBlock, offset: int,
                  parts: list[tuple[int, str, Entity]], section: str | None = None) -> None:
        previous_hits: list[Hit] = []
        previous_text = ""
        self._previous_emitted: set[str] = set()
        self._sentence_facts: list[Fact] = []
        self._from_year: tuple[str, int, int] | None = None  # (sentence, a figure's position, its year)
        self._count_before: int | None = None
        self._last_claimed = False
        self._head_hits: list[Hit] = []  # the first terms of the sentence: what a list inside it counts
        scope = section  # another level's section (二、普通高中教育) until 中职 is named
        for start, clause, entity in parts:
            hits = term_hits(self.catalog, clause)
            emitted_before = len(self.ctx.facts)
            # A clause about another school type (普通高中, 幼儿园 …) sets the scope of those after it.
            scope = scope_after(scope, sentence, start, clause)
            if not out_of_scope(scope):
                self._clause(sentence, clause, start, block, offset, entity, hits, previous_hits, previous_text)
            if not self._head_hits:
                self._head_hits = top_level(hits)
            previous_hits, previous_text = hits, clause
            self._previous_emitted = {f.indicator for f in self.ctx.facts[emitted_before:]}
            self._sentence_facts += self.ctx.facts[emitted_before:]

    def _emit(self, entity, sentence, clause_start, block, offset, q, ind, value, rule, year=None):
        at = clause_start + q.start
        if not_its_figure(sentence, clause_start, at, self.ctx.body_year, entity, self.ctx.entity):
            return
        if not year and self._from_year and self._from_year[:2] == (sentence, at):
            year = self._from_year[2]  # "从2022年的1600人": the figure of the year it comes from
        year = year or clause_year(sentence, clause_start, at, self._default_year, self.ctx.written_year)
        if ind.context and (not ind.in_context(sentence) or OTHER_LEVEL.search(segment_of(sentence, at))):
            return  # 省赛 awards need 省 in the sentence and no 全国 in their ；-part
        page = block.page_at(offset + clause_start + q.start)
        original = self._original[offset : offset + len(sentence)]
        subset = SUBSET_SCOPE.search(sentence, 0, clause_start + q.start)
        self.ctx.add(entity, page, year, ind, value, _snippet(original, clause_start + q.start, clause_start + q.end),
                     "prose", rule, q, note=f"subset scope «{subset.group()}»" if subset else "",
                     position=(self._block_index, offset + clause_start + q.start))

    def _follow_up(self, sentence, clause, clause_start, block, offset, entity, q, segment_start) -> bool:
        """Numbers that restate the sentence's last indicator for another year.

        "比2018年的15045.53元增加…" is the 2018 value; "…占16.67%，2020年为7.14%" the 2020 one.
        """
        if not self._sentence_facts or not self._last_claimed:
            return False
        last = self._sentence_facts[-1]
        ind = self.catalog[last.indicator]
        before = clause[segment_start : q.start]
        base = COMPARISON_BASE.search(before)
        again = YEAR_AGAIN.match(clause[: q.start]) if segment_start == 0 else None
        found = base or again
        if not found:
            return False
        year = period_mentions(found.group("when"), self.ctx.body_year, self.ctx.written_year)
        if not year:
            return False
        unit = q.unit or (last.unit if again and ind.kind == "rate" else "")
        value = to_canonical(q.number, unit, ind.unit) if unit else None
        if value is None:
            return False
        self._emit(entity, sentence, clause_start, block, offset, q, ind, value,
                   "prose.comparison_base" if base else "prose.year_again", year=year[0][2])
        return True

    def _clause(self, sentence, clause, clause_start, block, offset, entity, hits, previous_hits, previous_text):
        quantities = [q for q in find_quantities(clause) if not is_year_number(clause, q)]
        if not quantities:
            return
        if RESPECTIVELY.search(clause):
            self._respectively(sentence, clause, clause_start, block, offset, entity, hits, quantities)
            return
        segment_start = 0
        clause_facts = len(self.ctx.facts)
        # "从2020年的1500人…扩张至2400人": the year names the first figure; blanked, its term reaches it.
        origin = FROM_YEAR.search(clause)
        self._from_year = None
        if origin:
            number_at = origin.end() + len(clause[origin.end():]) - len(clause[origin.end():].lstrip())
            year = int(re.search(r"\d{4}", origin.group()).group())
            self._from_year = (sentence, clause_start + number_at, year)
            clause = clause[: origin.start()] + " " * (origin.end() - origin.start()) + clause[origin.end() :]
        cut = next((m for m in EXCLUDING.finditer(clause) if not any(h.start <= m.start() < h.end for h in hits)), None)
        for q in quantities:
            # Whether the number before this one was read: a restatement follows only a read figure.
            if self._count_before is not None:
                self._last_claimed = len(self.ctx.facts) > self._count_before
            self._count_before = len(self.ctx.facts)
            if cut and q.start > cut.start():
                break  # "（不含技工学校）共招生…": a part of the population, not the whole
            if self._follow_up(sentence, clause, clause_start, block, offset, entity, q, segment_start):
                segment_start = q.end
                continue
            segment = clause[segment_start : q.start]
            read_here = self.ctx.facts[clause_facts:]
            if origin and segment_start >= origin.end() and read_here and CHANGED_TO.match(segment):
                # "…1500人左右大幅扩张至2400人": the figure it became, in the year the clause is of.
                ind = self.catalog[read_here[-1].indicator]
                value = unit_value(ind, q, bare_ok=False)
                if value is not None:
                    year = clause_year(sentence, clause_start, clause_start + origin.start(), self._default_year)
                    self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.changed_to",
                               year=year)
                    segment_start = q.end
                    continue
            if segment_start and SHARE_START.match(segment) and read_here:
                # "双师型教师共3人占专任教师的16.67%": a share of the count just read.
                self._share_of(sentence, clause_start, block, offset, entity, q, self.catalog[read_here[-1].indicator])
                segment_start = q.end
                continue
            after = clause[q.end :]
            after = re.sub(r"^(?:余|多)", "", after)
            if not AFTER_OK.match(after):
                if not self._counted(sentence, clause, clause_start, block, offset, entity, q):
                    segment_start = q.end
                    continue
                segment_start = q.end
                continue
            gap_hits = [h for h in hits if h.start >= segment_start and h.end <= q.start]
            done = False
            if SHARE_START.match(clause) and previous_hits and segment_start == 0:
                # "占专任教师总数的46.9%": the share is of the previous clause's subject.
                subjects = [h for h in previous_hits if not qualified(previous_text, h.start, previous_hits)]
                done = self._share(sentence, clause, clause_start, block, offset, entity, q, subjects)
            elif gap_hits:
                done = self._nearest(sentence, clause, clause_start, block, offset, entity, q, gap_hits, hits)
            elif segment_start == 0 and (AMOUNT_START.match(clause) or PER_STUDENT_START.match(clause)) and previous_hits:
                subjects = [h for h in previous_hits if not qualified(previous_text, h.start, previous_hits)]
                done = self._inherited(sentence, clause, clause_start, block, offset, entity, q, subjects)
            if not done and segment_start == 0 and VALUE_AFTER_COMMENT.match(segment) and previous_hits \
                    and not find_quantities(previous_text):
                # "生师比进一步降低，为13.2:1": the term, a remark, then its value.
                done = self._inherited(sentence, clause, clause_start, block, offset, entity, q, top_level(previous_hits),
                                       rule="prose.value_after_remark")
            if not done and segment_start == 0 and VALUE_AFTER_COMMENT.match(segment) and ANAPHOR.search(previous_text) \
                    and not self.ctx.facts[clause_facts:]:
                done = self._pointed_back(sentence, clause_start, block, offset, entity, q)
            if not done and not gap_hits and UNIT_ONLY.match(segment) and q.unit == "所":
                # "学校最多的是广州市，有82所": 所 counts schools and nothing else.
                ind = self.catalog["schools_total"]
                self._emit(entity, sentence, clause_start, block, offset, q, ind, q.number, "prose.counted_in_schools")
                done = True
            if not done and segment_start == 0 and LISTED_TYPE.match(segment) and self._head_hits:
                # "在校生52.3万人，其中幼儿园…，中等职业学校3.4万人": the 中职 item of the sentence's list.
                self._inherited(sentence, clause, clause_start, block, offset, entity, q, self._head_hits,
                                rule="prose.listed_school_type")
            segment_start = q.end

    def _pointed_back(self, sentence, clause_start, block, offset, entity, q) -> bool:
        """"…39.75%。2020年这一数据大幅上升，达到了53.21%": the last figure stated before, of the
        same kind, for the year of this clause."""
        for fact in reversed(self._sentence_facts or self._earlier):
            ind = self.catalog[fact.indicator]
            value = unit_value(ind, q, bare_ok=False)
            if value is not None:
                self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.pointed_back")
                return True
        return False

    def _counted(self, sentence, clause, clause_start, block, offset, entity, q) -> bool:
        """Number before its noun: "14个专业"."""
        for ind in self.catalog:
            if not ind.counted_as:
                continue
            tail = clause[q.end - len(q.unit) if q.unit else q.end :]
            rest = tail[len(ind.counted_as) :]
            # "77个专业（点）" counts teaching points, and "12个专业、30个赛项" is a list of other things.
            if tail.startswith(ind.counted_as) and AFTER_OK.match(rest) and not re.match(r"^(?:、|[（(]?点|布点)", rest):
                value = to_canonical(q.number, ind.unit, ind.unit)
                self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.counted_noun")
                return True
        if self._schools_as_subject(clause, q):
            ind = self.catalog["schools_total"]
            self._emit(entity, sentence, clause_start, block, offset, q, ind, q.number, "prose.counted_noun")
            return True
        return self._term_after(sentence, clause, clause_start, block, offset, entity, q)

    def _schools_as_subject(self, clause: str, q) -> bool:
        """"全市5所中等职业学校全日制在校生1.46万人": the schools counted, then their own figures."""
        if q.unit != "所":
            return False
        unit_start = q.end - len(q.unit)
        m = SCHOOLS_AS_SUBJECT.match(clause[unit_start:])
        if not m:
            return False
        rest = clause[unit_start + m.end() :]
        return any(h.start <= 3 for h in alias_hits(self.catalog, rest)) and bool(find_quantities(rest))

    def _term_after(self, sentence, clause, clause_start, block, offset, entity, q) -> bool:
        """The number before its term, which ends the clause: "共有12所中等职业学校",
        "2800名毕业生直接就业" (the last term names it)."""
        after = TERM_TAIL.sub("", clause[q.end :])
        hits = top_level(term_hits(self.catalog, after))
        if not q.unit or not hits or max(h.end for h in hits) != len(after):
            return False
        if qualified(after, min(h.start for h in hits), hits):
            return False
        last = max(hits, key=lambda h: (h.end, h.end - h.start))
        # "12个专业大类、26个专业": the term is the nearer number's; a year is no number ("1150名2023届毕业生").
        years = [m.span() for m in YEAR_EXPR.finditer(after)]
        stray = (i for i, c in enumerate(after[: last.start]) if c.isdigit())
        if any(not any(a <= i < b for a, b in years) for i in stray):
            return False
        ind = self.catalog[last.code]
        if PER_STUDENT.search(clause[: q.start]):
            if not ind.per_student_code:
                return False
            ind = self.catalog[ind.per_student_code]  # "每位学生平均可拥有56.62册图书"
        value = unit_value(ind, q, bare_ok=False)
        if value is None or qualified(after, last.start, hits):
            return False
        self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.number_before_term")
        return True

    def _nearest(self, sentence, clause, clause_start, block, offset, entity, q, gap_hits, hits) -> bool:
        # A term inside a remark in brackets ("就业（含升学）11293人") does not name the number.
        remarks = [m.span() for m in re.finditer(r"[（(][^（）()]*[)）]", clause[: q.start])]
        gap_hits = [h for h in gap_hits if not any(a < h.start and h.end < b for a, b in remarks)]
        gap_hits = sorted(gap_hits, key=lambda h: (h.end, h.end - h.start), reverse=True)
        for h in gap_hits:
            ind = self.catalog[h.code]
            gap = clause[h.end : q.start]
            if INLINE_SHARE.match(gap) and q.unit in ("%", "‰"):
                # "双师型教师占专业课教师的比例为53%": a share of the alias's own count.
                target = ind if ind.kind == "rate" else (self.catalog[ind.share_code] if ind.share_code else None)
                if target is None:
                    continue
                if qualified(clause, h.start, hits) or CHANGE_WORDS.search(clause[: q.start]):
                    return False
                self._emit(entity, sentence, clause_start, block, offset, q, target,
                           to_canonical(q.number, q.unit, target.unit), "prose.inline_share")
                return True
            bare_ok = gap.strip() in ("", "为", "达", "是", "共", "共计") and ind.aliases and any(
                clause[h.start : h.end].endswith(s) for s in ("人次", "人数", "数", "率", "比")
            )
            value = unit_value(ind, q, bare_ok)
            if value is None and ind.count_code and BENEFICIARIES.match(gap):
                ind, gap = self.catalog[ind.count_code], ""
                value = unit_value(ind, q, bare_ok)
            if value is None:
                continue  # a nearer alias of another unit ("专业" before "…教师的比例为53%")
            if not GAP_OK.match(gap) or CHANGE_WORDS.search(clause[: q.start]):
                return False
            if qualified(clause, h.start, hits, of_ok=ind.kind != "count"):
                # "升入高等学校继续学习的毕业生达…": a group named by an earlier term may be its figure.
                continue
            if ALL_OF.search(gap):
                for other in top_level([o for o in hits if o.end <= q.start]):
                    other_ind = self.catalog[other.code]
                    if other_ind.kind == ind.kind and not qualified(clause, other.start, hits):
                        self._emit(entity, sentence, clause_start, block, offset, q, other_ind,
                                   unit_value(other_ind, q, bare_ok), "prose.all_of")
                return True
            self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.alias_before_number")
            return True
        return False

    def _share(self, sentence, clause, clause_start, block, offset, entity, q, previous_hits) -> bool:
        """"“双师型”教师333人，占专任教师总数的46.9%": the share belongs to the previous clause's subject."""
        if q.unit not in ("%", "‰"):
            return False
        for h in sorted(top_level(previous_hits), key=lambda h: h.end, reverse=True):
            ind = self.catalog[h.code]
            if ind.kind == "rate" or (ind.share_code and ind.code in self._previous_emitted):
                # A count's share only when the count itself was read.
                return self._share_of(sentence, clause_start, block, offset, entity, q, ind)
        return False

    def _share_of(self, sentence, clause_start, block, offset, entity, q, ind: Indicator) -> bool:
        target = ind if ind.kind == "rate" else (self.catalog[ind.share_code] if ind.share_code else None)
        if target is None or q.unit not in ("%", "‰"):
            return False
        # "升学1143人，占就业学生数的63.43%": a share of a part of the rate's whole (就业 of 毕业生) is not the rate.
        before = sentence[clause_start : clause_start + q.start]
        base = alias_hits(self.catalog, before[before.rfind("占") + 1 :]) if "占" in before else []
        if target.rollup_denominator and any(self.catalog[h.code].subset_of == target.rollup_denominator for h in base):
            return False
        self._emit(entity, sentence, clause_start, block, offset, q, target,
                   to_canonical(q.number, q.unit, target.unit), "prose.share_of_previous")
        return True

    def _inherited(self, sentence, clause, clause_start, block, offset, entity, q, previous_hits, rule="") -> bool:
        """"助学金总人次1158，总金额115.8万元" and "工位26276个，生均0.66个": the clause continues the previous subject."""
        per_student = PER_STUDENT_START.match(clause) is not None
        for h in sorted(previous_hits, key=lambda h: (h.end, h.end - h.start), reverse=True):
            ind = self.catalog[h.code]
            if per_student:
                if not ind.per_student_code:
                    continue
                ind = self.catalog[ind.per_student_code]
            elif unit_value(ind, q, bare_ok=False) is None and ind.count_code:
                ind = self.catalog[ind.count_code]  # 助学金…万元，惠及9234人次
            value = unit_value(ind, q, bare_ok=False)
            if value is not None:
                rule = rule or ("prose.per_student_of_previous" if per_student else "prose.amount_of_previous")
                self._emit(entity, sentence, clause_start, block, offset, q, ind, value, rule)
                return True
        return False

    def _respectively(self, sentence, clause, clause_start, block, offset, entity, hits, quantities) -> None:
        """"一等奖、二等奖、三等奖分别为3个、5个、8个" and "第一、二、三产业人数分别为…": labels and numbers pair in order."""
        cut = RESPECTIVELY.search(clause).start()
        after = [q for q in quantities if q.start >= cut]
        labels = [(h.start, self.catalog[h.code]) for h in sorted(top_level([h for h in hits if h.end <= cut]), key=lambda h: h.start)
                  if not qualified(clause, h.start, hits)]
        years = [y for _, _, y in period_mentions(clause[:cut], self.ctx.body_year, self.ctx.written_year)]
        if len(labels) == 1 and len(years) == len(after) > 1:
            # "2015年、2016年、2017年…就业率分别为98.2%、98.5%、98.9%": one indicator, a value a year.
            ind = labels[0][1]
            for q, year in zip(after, years):
                value = unit_value(ind, q, bare_ok=False)
                if value is not None:
                    self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.respectively_by_year", year)
            return
        if len(labels) != len(after):
            labels = [(0, ind) for ind in self._enumerated(clause[:cut])]
        if not labels or len(labels) != len(after):
            return
        values = [unit_value(ind, q, bare_ok=False) for (_, ind), q in zip(labels, after)]
        if any(v is None for v in values):
            return
        for (_, ind), q, value in zip(labels, after, values):
            self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.respectively")

    def _enumerated(self, text: str) -> list[Indicator]:
        """"第一、二、三产业" → the indicators of 第一产业, 第二产业, 第三产业."""
        m = ENUMERATION.search(text)
        if not m:
            return []
        out = []
        for numeral in re.findall(r"[一二三四五六七八九十]", m.group("numerals")):
            label = m.group("prefix") + numeral + m.group("suffix")
            found = [h for h in alias_hits(self.catalog, label) if h.start == 0 and h.end == len(label)]
            if not found:
                return []
            out.append(self.catalog[found[0].code])
        return out


def _snippet(sentence: str, start: int, end: int, width: int = 40) -> str:
    """The text around a number, cut at clause marks where possible; it always contains the number."""
    left = max(0, start - width)
    right = min(len(sentence), end + 12)
    return sentence[left:right].strip()
