"""Catalog-driven rules: numbers in prose and table cells → facts.

Each rule is a pattern over aliases, units and positions, never over one report's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..reports.model import TableBlock, TextBlock
from ..reports.tables import UNIT_CELL, is_numeric_cell
from .catalog import Catalog, Indicator
from .entities import Entity, divisions, school_at_start
from .fact import Fact
from .periods import YEAR_EXPR, period_mentions, year_of_label
from .units import Quantity, find_quantities, parse_cell, to_canonical

SENTENCE_END = re.compile(r"(?<=[。！？!?])")
CLAUSE_SPLIT = re.compile(r"[，；;：]|,(?!\d{3})|:(?!\s*\d)")
# Words that make a number a change, a comparison or a target rather than a level.
CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|提高|提升|上升|降低|增幅|降幅|增量|减幅|比上年|较上年|同比|环比|多出|少于|超出|新增|净增|目标|计划|力争|预计|不低于|不少于|不超过|达标")
# Scope words that may stand between the clause start and an alias without qualifying it.
SCOPE_WORDS = re.compile(
    r"(?:全市|全区|全县|全省|全州|全盟|全旗|全校|全体|辖区内?|本市|本区|本县|本校|我市|我区|我县|我省|我校|"
    r"(?:市内|区内|县内|[市区县省]属)?(?:中等职业教育|中等职业学校|中职学校|中职校|中专学校|职业学校|中职|中专)(?:学生)?|"
    r"学校|各类|各|共有|现有|拥有|共|有|其中|当年|本年|今年|上一?年|去年|上一?学年|年度|登记|实际|已|初次|市内|区内|县内|省内|省级认定|认定|在职|在编|"
    r"学年|年|届|平均|获得|荣获|获|拨付|发放|完成|开设|设有|实现|累计|合计|总计|在籍|全日制|为|达到|达|是|学生|校内|全年|阶段|教育|组织)$"
)
COUNT_WORD = re.compile(r"\d+(?:所|个)$")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Names of admin divisions, full and short (新乡市, 新乡; 红河哈尼族彝族自治州, 红河州)."""
    names = set()
    for div in divisions().values():
        if len(div.name) <= 2:
            continue  # 城区, 郊区, 矿区: real district names, but in a sentence a part of the area
        names.update((div.name, div.short))
        if div.name.endswith("自治州"):
            names.add(div.short[:2] + "州")
    return frozenset(n for n in names if len(n) >= 2)


def _place_at_end(prefix: str) -> int:
    """Length of the admin division name that ends `prefix` (0 when none): 城区 and 市内 are not places."""
    names = _place_names()
    return max((k for k in range(2, min(len(prefix), 12) + 1) if prefix[-k:] in names), default=0)
AFTER_OK = re.compile(r"^(?:$|[，。；;,、）)（(\s”’]|以上|左右|之间|其中|…|占)")
# Competitions of another level than the one an indicator's context names.
OTHER_LEVEL = re.compile(r"全国|国赛|国家级|世界|教学能力比赛|班主任能力比赛|教师[^，。]{0,6}比赛")
# What may stand between an alias and its number: function words and parenthetical remarks.
GAP_OK = re.compile(
    r"^(?:[\s“”]|[（(][^（）()]{0,20}[)）]|为|达到|达|是|了|已|在|支出|共计|共有|共|计|有|约|近|超过|总数|人数|数量|总量|数|"
    r"合计|总计|平均|学生|总|人次|已达|累计|规模|总值|值|分别|均|都|全部|全年|年)*$"
)
INLINE_SHARE = re.compile(r"^(?:人数|数)?占[\u4e00-\u9fff“”]{0,12}?(?:的)?(?:比例|比重|比率|百分比)?(?:为|达到?|是)?$")
ALL_OF = re.compile(r"均|都|全部|皆")
# "比2018年的15045.53元": the number is the earlier year's value of the same indicator.
COMPARISON_BASE = re.compile(r"(?:比|较|与|同)(?P<when>(?:19|20)\d\d\s*年|上一?年|去年|上一?学年)(?:同期)?的?\s*$")
# "，2020年为7.14%": the clause restates the last indicator for another year.
YEAR_AGAIN = re.compile(r"^\s*(?:而|其中)?(?P<when>(?:19|20)\d\d\s*(?:年|学年|届)|上一?年|去年|上一?学年)\s*(?:为|是|达到?|有)?\s*$")
# "昆明市管辖的中职学校中", "市属学校": a part of the area's schools (the whole may be stated elsewhere).
SUBSET_SCOPE = re.compile(r"(?:管辖的?|直属的?|[市区县省州]属)(?:中等职业学校|中职学校|中职校|中专学校|职业学校|学校)")
# "（不含技工学校）", "除技工学校外": what follows is a part of the population.
# Leaving out 技工学校 is how education statistics count 中职 (技校 report elsewhere), so the
# number is still the whole.
EXCLUDING = re.compile(r"(?:不含|不包括|未含)(?!技工|技校)|除[\u4e00-\u9fff]{1,12}外")
# School types other than 中职: a clause about them is out of scope, and so are the clauses after
# it until another school type is named ("普通高中109所，在校生11.6万人").
OTHER_SCHOOL_TYPE = re.compile(r"(?<!升入)(?<!考入)(?<!进入)(?<!升学)(?<![升入])(?:普通高中|普高|高中阶段|幼儿园|学前教育|小学|初中|义务教育|特殊教育|高等教育|高校|高职院校|本科院校|技工院校|技师学院|各级各类|社区教育|老年教育|成人教育)")
VOCATIONAL = re.compile(r"中等职业|中职|中专|职业学校|职业高中|职高|职教中心|职业教育中心|技工学校|我校|本校|全校|学校")


def clause_scope(clause: str) -> str | None:
    """"other" when the last school type a clause names is not 中职, "vocational" when it is, else None."""
    other = [m.end() for m in OTHER_SCHOOL_TYPE.finditer(clause)]
    ours = [m.end() for m in VOCATIONAL.finditer(clause)]
    if not other and not ours:
        return None
    return "other" if max(other, default=-1) > max(ours, default=-1) else "vocational"


def normalise_terms(text: str) -> str:
    """Synonyms of equal length folded for matching (snippets keep the original text)."""
    return text.replace("老师", "教师")
RESPECTIVELY = re.compile(r"分别")
# An enumeration that shares its prefix and suffix: 第一、二、三产业.
ENUMERATION = re.compile(r"(?P<prefix>第?)(?P<numerals>[一二三四五六七八九十](?:[、和及][一二三四五六七八九十])+)(?P<suffix>[\u4e00-\u9fff]{1,4}?)(?=人数|数|分别|的|$)")
SHARE_START = re.compile(r"^(?:其中)?(?:占|所占比例|占比|比例为|比重为)")
AMOUNT_START = re.compile(r"^(?:总)?(?:金额|资金|总额|资助金额|经费)|^(?:惠及|受益|资助|覆盖)")
PER_STUDENT_START = re.compile(r"^生均")
# Suffixes allowed after an alias in a table label, by indicator kind.
LABEL_SUFFIX = {
    "person": ("人数", "总人数", "总数", "数", "数量", "人次", "获", "获取人数", "获得人数", "获证人数", ""),
    "count": ("数", "数量", "总数", "个数", "总量", ""),
    "rate": ("比例", "教师比例", "占比", "率", "比", ""),
    "ratio": ("数", "值", ""),
    "money": ("值", "总值", "金额", "总额", "数", ""),
}
# Row labels that keep a column-oriented table about the report's own entity.
OWN_ROW = re.compile(r"^(?:中职|中等职业学校|中等职业教育|全日制)?(?:合计|总计|全市|全区|全县|全省|总体|人数|数量|数值|数据|比例|情况|统计|指标值)?$")
# The row that totals a section ("中职总计"): with a section indicator, only it is the entity's own.
TOTAL_ROW = re.compile(r"^(?:中职|中等职业学校|中等职业教育|全市|全区|全县|全省|全州)?(?:合计|总计|小计|总数|全部)$")
CAPTION_UNIT = re.compile(r"单位\s*[：:]\s*([^）)，,；;\s]{1,6})")
SKIP_ROW = re.compile(r"变化|增减|增幅|同比|差值|增长率|变动|较上年|比上年")
UNIT_HEADER = re.compile(r"^(?:单位|计量单位)$")
INDEX_HEADER = re.compile(r"^(?:序号?|编号|No\.?)$", re.IGNORECASE)
PAREN_UNIT = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]")
YEAR_COLUMN_OK = re.compile(r"^(?:数量|数值|数据|值|合计|总计|本年|当年|指标值|数|人数)?$")


@dataclass
class ReportContext:
    source_file: str
    sha256: str
    entity: Entity
    body_year: int
    catalog: Catalog
    facts: list[Fact] = field(default_factory=list)

    def add(self, entity: Entity, page: int, year: int, ind: Indicator, value: float, snippet: str,
            method: str, rule: str, q: Quantity | None = None, printed: str = "", note: str = "") -> None:
        if value == 0 and ind.kind != "rate":
            return  # a zero count or amount in a form-style table means "none reported", not a level
        self.facts.append(
            Fact(self.source_file, self.sha256, page, entity.name, entity.level, entity.admin_code, year,
                 ind.code, value, ind.unit, snippet, method, rule, bool(q and q.approximate),
                 printed or (q.printed if q else ""), confidence_reason=note)
        )


@dataclass
class _Hit:
    start: int
    end: int
    code: str


def _unit_value(ind: Indicator, q: Quantity, bare_ok: bool) -> float | None:
    if q.unit == "" and not bare_ok and ind.kind not in ("ratio",):
        return None
    unit = q.unit if q.unit or ind.kind == "ratio" else _bare_unit(ind)
    return to_canonical(q.number, unit, ind.unit)


def _bare_unit(ind: Indicator) -> str:
    return {"学生数/教师": ""}.get(ind.unit, ind.unit)


def _is_year_number(text: str, q: Quantity) -> bool:
    after = text[q.end : q.end + 2]
    if after[:1] in ("年", "月", "日", "届", "级", "号", "期", "版", "批", "轮", "类", "大", "项", "届"):
        return True
    if after.startswith(("学年", "年度")):
        return True
    return bool(re.match(r"(?:19|20)\d\d$", q.printed) and q.unit == "" and YEAR_EXPR.match(text, q.start))


def _hits(catalog: Catalog, text: str) -> list[_Hit]:
    return [_Hit(s, e, c) for s, e, c in catalog.find_aliases(text)]


def _qualified(text: str, start: int, hits: list[_Hit], of_ok: bool = False) -> bool:
    """True when the words right before an alias narrow it to a sub-population (体育课专任教师)."""
    prefix = text[:start]
    alias_ends = {h.end: h.start for h in hits if h.end <= start}
    for _ in range(12):
        prefix = prefix.rstrip(" “”\"'")
        if not prefix or not re.search(r"[\u4e00-\u9fff]$", prefix):
            return False
        # "专任教师中…", and for an average or a rate "直接就业的毕业生平均月薪": the group it is about.
        trimmed = prefix[:-1] if prefix.endswith("中") or (of_ok and prefix.endswith("的")) else prefix
        if len(trimmed) in alias_ends:
            # Another alias as scope: 毕业生就业人数, 专任教师中思政课教师.
            prefix = trimmed[: alias_ends[len(trimmed)]]
            continue
        m = SCOPE_WORDS.search(prefix) or COUNT_WORD.search(prefix)
        if m:
            prefix = prefix[: m.start()]
            continue
        place = _place_at_end(prefix)
        if place:
            prefix = prefix[:-place]
            continue
        return True
    return True


def _top_level(hits: list[_Hit]) -> list[_Hit]:
    return [h for h in hits if not any(o is not h and o.start <= h.start and o.end >= h.end and (o.end - o.start) > (h.end - h.start) for o in hits)]


def _year_for(sentence: str, clause_start: int, pos: int, default: int) -> int:
    """The clause's own year, else the first year of its ；-segment, else of its sentence, else the body year.

    Years far before the body year are history ("1996年经省教育厅批准…"), not periods.
    """
    found = [(s, y) for s, e, y in period_mentions(sentence, default) if e <= pos and y >= default - 2]
    in_clause = [y for s, y in found if s >= clause_start]
    if in_clause:
        return in_clause[-1]
    segment_start = max(sentence.rfind("；", 0, pos), sentence.rfind(";", 0, pos)) + 1
    in_segment = [y for s, y in found if s >= segment_start]
    if in_segment:
        return in_segment[0]
    return found[0][1] if found else default


class ProseExtractor:
    def __init__(self, ctx: ReportContext):
        self.ctx = ctx
        self.catalog = ctx.catalog

    def run(self, blocks: list[TextBlock]) -> None:
        for block in blocks:
            if block.kind != "paragraph":
                continue
            entity = self.ctx.entity
            offset = 0
            self._original = block.text
            for sentence in SENTENCE_END.split(normalise_terms(block.text)):
                if not sentence.strip():
                    continue
                school = school_at_start(sentence.strip(), self.ctx.entity.admin_code)
                if school and school.name != self.ctx.entity.name:
                    entity = school
                elif re.match(r"^(?:\d{4}年[，,]?)?(?:全市|全区|全县|全省|全州|全校|全盟)", sentence.strip()):
                    entity = self.ctx.entity
                self._sentence(sentence, block, offset, entity)
                offset += len(sentence)

    def _sentence(self, sentence: str, block: TextBlock, offset: int, entity: Entity) -> None:
        pos = 0
        previous_hits: list[_Hit] = []
        previous_text = ""
        self._previous_emitted: set[str] = set()
        self._sentence_facts: list[Fact] = []
        self._count_before: int | None = None
        self._last_claimed = False
        scope = None
        for clause in CLAUSE_SPLIT.split(sentence):
            start = sentence.find(clause, pos)
            pos = start + len(clause)
            hits = _hits(self.catalog, clause)
            emitted_before = len(self.ctx.facts)
            # A clause about another school type (普通高中, 幼儿园 …) sets the scope of those after it.
            scope = clause_scope(clause) or scope
            if scope != "other":
                self._clause(sentence, clause, start, block, offset, entity, hits, previous_hits, previous_text)
            previous_hits, previous_text = hits, clause
            self._previous_emitted = {f.indicator for f in self.ctx.facts[emitted_before:]}
            self._sentence_facts += self.ctx.facts[emitted_before:]

    def _emit(self, entity, sentence, clause_start, block, offset, q, ind, value, rule, year=None):
        year = year or _year_for(sentence, clause_start, clause_start + q.start, self.ctx.body_year)
        if ind.context and (ind.context not in sentence or OTHER_LEVEL.search(sentence)):
            return
        page = block.page_at(offset + clause_start + q.start)
        original = self._original[offset : offset + len(sentence)]
        subset = SUBSET_SCOPE.search(sentence, 0, clause_start + q.start)
        self.ctx.add(entity, page, year, ind, value, _snippet(original, clause_start + q.start, clause_start + q.end),
                     "prose", rule, q, note=f"subset scope «{subset.group()}»" if subset else "")

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
        year = period_mentions(found.group("when"), self.ctx.body_year)
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
        quantities = [q for q in find_quantities(clause) if not _is_year_number(clause, q)]
        if not quantities:
            return
        if RESPECTIVELY.search(clause):
            self._respectively(sentence, clause, clause_start, block, offset, entity, hits, quantities)
            return
        segment_start = 0
        clause_facts = len(self.ctx.facts)
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
                subjects = [h for h in previous_hits if not _qualified(previous_text, h.start, previous_hits)]
                done = self._share(sentence, clause, clause_start, block, offset, entity, q, subjects)
            elif gap_hits:
                done = self._nearest(sentence, clause, clause_start, block, offset, entity, q, gap_hits, hits)
            elif segment_start == 0 and (AMOUNT_START.match(clause) or PER_STUDENT_START.match(clause)) and previous_hits:
                subjects = [h for h in previous_hits if not _qualified(previous_text, h.start, previous_hits)]
                done = self._inherited(sentence, clause, clause_start, block, offset, entity, q, subjects)
            segment_start = q.end
            del done

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
        return False

    def _nearest(self, sentence, clause, clause_start, block, offset, entity, q, gap_hits, hits) -> bool:
        gap_hits = sorted(gap_hits, key=lambda h: (h.end, h.end - h.start), reverse=True)
        for h in gap_hits:
            ind = self.catalog[h.code]
            gap = clause[h.end : q.start]
            if INLINE_SHARE.match(gap) and q.unit in ("%", "‰"):
                # "双师型教师占专业课教师的比例为53%": a share of the alias's own count.
                target = ind if ind.kind == "rate" else (self.catalog[ind.share_code] if ind.share_code else None)
                if target is None:
                    continue
                if _qualified(clause, h.start, hits) or CHANGE_WORDS.search(clause[: q.start]):
                    return False
                self._emit(entity, sentence, clause_start, block, offset, q, target,
                           to_canonical(q.number, q.unit, target.unit), "prose.inline_share")
                return True
            bare_ok = gap.strip() in ("", "为", "达", "是", "共", "共计") and ind.aliases and any(
                clause[h.start : h.end].endswith(s) for s in ("人次", "人数", "数", "率", "比")
            )
            value = _unit_value(ind, q, bare_ok)
            if value is None:
                continue  # a nearer alias of another unit ("专业" before "…教师的比例为53%")
            if not GAP_OK.match(gap) or CHANGE_WORDS.search(clause[: q.start]):
                return False
            if _qualified(clause, h.start, hits, of_ok=ind.kind != "count"):
                return False
            if ALL_OF.search(gap):
                for other in _top_level([o for o in hits if o.end <= q.start]):
                    other_ind = self.catalog[other.code]
                    if other_ind.kind == ind.kind and not _qualified(clause, other.start, hits):
                        self._emit(entity, sentence, clause_start, block, offset, q, other_ind,
                                   _unit_value(other_ind, q, bare_ok), "prose.all_of")
                return True
            self._emit(entity, sentence, clause_start, block, offset, q, ind, value, "prose.alias_before_number")
            return True
        return False

    def _share(self, sentence, clause, clause_start, block, offset, entity, q, previous_hits) -> bool:
        """"“双师型”教师333人，占专任教师总数的46.9%": the share belongs to the previous clause's subject."""
        if q.unit not in ("%", "‰"):
            return False
        for h in sorted(_top_level(previous_hits), key=lambda h: h.end, reverse=True):
            ind = self.catalog[h.code]
            if ind.kind == "rate" or (ind.share_code and ind.code in self._previous_emitted):
                # A count's share only when the count itself was read.
                return self._share_of(sentence, clause_start, block, offset, entity, q, ind)
        return False

    def _share_of(self, sentence, clause_start, block, offset, entity, q, ind: Indicator) -> bool:
        target = ind if ind.kind == "rate" else (self.catalog[ind.share_code] if ind.share_code else None)
        if target is None or q.unit not in ("%", "‰"):
            return False
        self._emit(entity, sentence, clause_start, block, offset, q, target,
                   to_canonical(q.number, q.unit, target.unit), "prose.share_of_previous")
        return True

    def _inherited(self, sentence, clause, clause_start, block, offset, entity, q, previous_hits) -> bool:
        """"助学金总人次1158，总金额115.8万元" and "工位26276个，生均0.66个": the clause continues the previous subject."""
        per_student = PER_STUDENT_START.match(clause) is not None
        for h in sorted(previous_hits, key=lambda h: (h.end, h.end - h.start), reverse=True):
            ind = self.catalog[h.code]
            if per_student:
                if not ind.per_student_code:
                    continue
                ind = self.catalog[ind.per_student_code]
            elif _unit_value(ind, q, bare_ok=False) is None and ind.count_code:
                ind = self.catalog[ind.count_code]  # 助学金…万元，惠及9234人次
            value = _unit_value(ind, q, bare_ok=False)
            if value is not None:
                rule = "prose.per_student_of_previous" if per_student else "prose.amount_of_previous"
                self._emit(entity, sentence, clause_start, block, offset, q, ind, value, rule)
                return True
        return False

    def _respectively(self, sentence, clause, clause_start, block, offset, entity, hits, quantities) -> None:
        """"一等奖、二等奖、三等奖分别为3个、5个、8个" and "第一、二、三产业人数分别为…": labels and numbers pair in order."""
        cut = RESPECTIVELY.search(clause).start()
        after = [q for q in quantities if q.start >= cut]
        labels = [(h.start, self.catalog[h.code]) for h in sorted(_top_level([h for h in hits if h.end <= cut]), key=lambda h: h.start)
                  if not _qualified(clause, h.start, hits)]
        if len(labels) != len(after):
            labels = [(0, ind) for ind in self._enumerated(clause[:cut])]
        if not labels or len(labels) != len(after):
            return
        values = [_unit_value(ind, q, bare_ok=False) for (_, ind), q in zip(labels, after)]
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
            found = [h for h in _hits(self.catalog, label) if h.start == 0 and h.end == len(label)]
            if not found:
                return []
            out.append(self.catalog[found[0].code])
        return out


def _snippet(sentence: str, start: int, end: int, width: int = 40) -> str:
    """The text around a number, cut at clause marks where possible; it always contains the number."""
    left = max(0, start - width)
    right = min(len(sentence), end + 12)
    return sentence[left:right].strip()


# --- tables -----------------------------------------------------------------------------------


def _strip_label(text: str) -> str:
    text = re.sub(r"^(?:其中[：:]?|包括[：:]?|含[：:]?)", "", text)
    text = re.sub(r"[（(][^（）()]*[)）]", "", text)
    text = re.sub(r"[\s*＊#※]", "", text)
    # A two-level header flattened ("在校生数（人）全日制"): the full-time total is the indicator.
    return re.sub(r"(?<!非)(?:全日制|合计|总计)$", "", text) if len(text) > 4 else text


def caption_indicator(catalog: Catalog, caption: str) -> Indicator | None:
    """The one indicator a table caption names, when its unit (单位：所) agrees."""
    if not caption:
        return None
    text = re.sub(r"(?:19|20)\d\d\s*(?:[-—–~至]\s*(?:19|20)?\d\d)?\s*(?:年|学年)?度?", "", caption)
    found = {catalog[h.code].code for h in _top_level(_hits(catalog, text)) if not _qualified(text, h.start, _hits(catalog, text))}
    unit = CAPTION_UNIT.search(caption)
    if len(found) != 1:
        return None
    ind = catalog[found.pop()]
    if unit and to_canonical(1, unit.group(1), ind.unit) is None:
        return None
    return ind


def _looks_like_unit(text: str) -> bool:
    return bool(re.fullmatch(r"(?:万|亿)?(?:人次|人|名|所|个|册|元|%|％|‰|台|门|项)?(?:/\s*(?:生|人))?|[:：]|万元/生|个/生|册/\s*生", text.replace(" ", ""))) and bool(text.strip())


def _label_unit(text: str) -> str:
    for m in PAREN_UNIT.finditer(text):
        if _looks_like_unit(m.group(1)):
            return m.group(1).replace(" ", "")
    return ""


def match_label(catalog: Catalog, label: str) -> Indicator | None:
    """The indicator a table label names: an alias with only scope words before it and a kind-suitable suffix."""
    text = _strip_label(label)
    if not text:
        return None
    hits = _hits(catalog, text)
    for h in sorted(hits, key=lambda h: (h.end - h.start), reverse=True):
        ind = catalog[h.code]
        suffix = text[h.end :]
        kind = "person" if ind.unit in ("人", "人次") else ind.kind
        if suffix not in LABEL_SUFFIX.get(kind, ("",)):
            continue
        if _qualified(text, h.start, hits):
            continue
        return ind
    return None


def _fill_right(row: list[str]) -> list[str]:
    out, last = [], ""
    for cell in row:
        last = cell or last
        out.append(cell or last)
    return out


def _canonical_table_unit(unit: str) -> str:
    unit = unit.replace("％", "%").replace(" ", "")
    return {":": ":1", "：": ":1", "比": ":1"}.get(unit, unit)


class TableExtractor:
    def __init__(self, ctx: ReportContext):
        self.ctx = ctx
        self.catalog = ctx.catalog

    def run(self, tables: list[TableBlock]) -> None:
        for table in tables:
            self._table(table)

    def _table(self, table: TableBlock) -> None:
        self._prev_was_header = False
        header_rows: list[list[str]] = []
        last_label = ""
        width = max(len(r) for r in table.rows)
        for row in table.rows:
            row = row + [""] * (width - len(row))
            numeric = [j for j, c in enumerate(row) if is_numeric_cell(c)]
            index_cols = self._index_columns(header_rows, row)
            data_cols = [j for j in numeric if j not in index_cols]
            if not data_cols:
                unit_col = self._unit_column(header_rows)
                started = bool(header_rows) and not self._prev_was_header
                unit_cell = (unit_col is not None and row[unit_col]) or any(UNIT_CELL.match(c) for c in row)
                if unit_cell or (started and sum(1 for c in row if c) < 3):
                    continue  # a data row whose value is text ("高职填报"), not a new header
                if header_rows and self._prev_was_header:
                    header_rows.append(row)
                else:
                    header_rows = [row]
                self._prev_was_header = True
                continue
            self._prev_was_header = False
            self._row(table, row, header_rows, data_cols, index_cols, last_label)
            label = self._row_label(row, header_rows, data_cols, index_cols)
            last_label = label or last_label

    _prev_was_header = False

    @staticmethod
    def _index_columns(header_rows, row) -> set[int]:
        cols = set()
        if header_rows:
            for j, cell in enumerate(header_rows[0]):
                if INDEX_HEADER.match(cell.replace(" ", "")):
                    cols.add(j)
        elif row and re.fullmatch(r"\d{1,3}", row[0] or "") and len(row) > 2:
            cols.add(0)
        return cols

    def _headers(self, header_rows, width) -> list[str]:
        if not header_rows:
            return [""] * width
        filled = [_fill_right(r) for r in header_rows[:-1]] + [header_rows[-1]]
        return ["".join(r[j] for r in filled if j < len(r)) for j in range(width)]

    def _unit_column(self, header_rows) -> int | None:
        for r in header_rows:
            for j, cell in enumerate(r):
                if UNIT_HEADER.match(cell.replace(" ", "")):
                    return j
        return None

    def _row_label(self, row, header_rows, data_cols, index_cols) -> str:
        unit_col = self._unit_column(header_rows)
        first = min(data_cols)
        return "".join(c for j, c in enumerate(row[:first]) if j not in index_cols and j != unit_col)

    def _row(self, table, row, header_rows, data_cols, index_cols, last_label) -> None:
        headers = self._headers(header_rows, len(row))
        unit_col = self._unit_column(header_rows)
        label = self._row_label(row, header_rows, data_cols, index_cols)
        if SKIP_ROW.search(label):
            return
        if not label and last_label and unit_col is not None:
            label = last_label  # a sub-row that only changes the unit
        label_year = year_of_label(_strip_label(label)) if label else None
        label_ind = match_label(self.catalog, label) if label and label_year is None else None
        year_cols = [j for j in data_cols if year_of_label(headers[j].replace(" ", "")) is not None]
        entity = self.ctx.entity
        snippet_row = "\t".join(c for c in row if c)
        label_cols = [j for j in range(min(data_cols)) if j not in index_cols and j != unit_col]
        section = (match_label(self.catalog, headers[label_cols[0]]) if label_cols else None) or caption_indicator(
            self.catalog, table.caption)
        caption_unit = CAPTION_UNIT.search(table.caption)
        for j in data_cols:
            header = headers[j]
            col_year = year_of_label(re.sub(r"^.*?((?:19|20)\d\d.*)$", r"\1", header)) if header else None
            if label_ind is not None:
                ind = label_ind
                qualifier = re.sub(r"(?:19|20)\d\d\s*(?:年|学年|年度)?", "", header)
                if year_cols and j not in year_cols:
                    continue
                if "生均" in qualifier:
                    if not ind.per_student_code:
                        continue
                    ind = self.catalog[ind.per_student_code]
                elif not YEAR_COLUMN_OK.match(_strip_label(qualifier)):
                    continue
                year = col_year or label_year or self.ctx.body_year
            else:
                head_text = re.sub(r"(?:19|20)\d\d\s*(?:年|学年|年度)?", "", header)
                ind = match_label(self.catalog, head_text) if head_text else None
                if ind is None and not _strip_label(head_text) and section is not None:
                    # A year column of a section ("在校生 | 2015年 | 2016年"): only its total row.
                    if label_year is None and not TOTAL_ROW.match(_strip_label(label)):
                        continue
                    ind = section
                if ind is None:
                    continue
                year = label_year or col_year or self.ctx.body_year
                if label_year is None and not OWN_ROW.match(_strip_label(label)) and not TOTAL_ROW.match(_strip_label(label)):
                    continue  # a row about something else (a school, a major, a sub-group)
            q = parse_cell(row[j])
            if q is None:
                continue
            unit = (q.unit or _canonical_table_unit(row[unit_col] if unit_col is not None else "") or _label_unit(header)
                    or _label_unit(label) or (caption_unit.group(1) if caption_unit else ""))
            unit = _canonical_table_unit(unit)
            if ind.code == "student_teacher_ratio" and unit in (":1", ""):
                unit = ":1" if q.unit == ":1" or unit == ":1" else ""
            value = to_canonical(q.number, unit, ind.unit) if unit else to_canonical(q.number, _bare_unit(ind), ind.unit)
            if value is None and unit in ("万元",) and ind.unit == "元/生":
                value = to_canonical(q.number, "万元/生", ind.unit)
            if value is None:
                continue
            if ind.context and ind.context not in header + label:
                continue
            self.ctx.add(entity, table.page, year, ind, value, snippet_row, "table", f"table.{table.method}", q)
