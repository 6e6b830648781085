"""The words around a number that say whose and which figure it is: scope (全市, 中职, 区属),
sub-populations and other school types, alias hits and the qualifiers before them, and the period
of a clause. Shared by the prose and table rules and by candidate scoring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .catalog import Catalog
from .entities import Entity, divisions
from .periods import YEAR_EXPR, period_mentions
from .units import Quantity

# A sentence that opens with the whole area (全市…) is about the report's own subject again.
AREA_START = re.compile(r"^(?:\d{4}年[，,]?)?(?:全市|全区|全县|全省|全州|全校|全盟)")
SENTENCE_END = re.compile(r"(?<=[。！？!?])")

CLAUSE_SPLIT = re.compile(r"[，；;：]|,(?!\d{3})|:(?!\s*\d)")

# Words that make a number a change, a comparison or a target rather than a level.
# "提高到/降至/调整为" name the level reached, not a change.
CHANGE_WORDS = re.compile(r"(?:增加|减少|增长|下降|提高|提升|上升|降低)(?!到|至|为)|增幅|降幅|增量|减幅|比上年|较上年|同比|环比|多出|少于|超出|新增|净增|目标|计划|力争|预计|不低于|不少于|不超过|达标")

# Words that may stand between the clause start and an alias without narrowing it, by kind.
_SCOPE_KINDS = {
    "the area as a whole": r"全市|全区|全县|全省|全州|全盟|全旗|全地区|全自治区|全校|全体|辖区内?|该校|该市|该县|该区|"
                           r"本市|本区|本县|本校|我市|我区|我县|我省|我校|市内|区内|县内|省内",
    "中职 as the level": r"(?:市内|区内|县内|[市区县省]属)?(?:中等职业教育|中等职业学校|中职学校|中职校|中专学校|职业学校|中职|中专)(?:学生)?"
                        r"|学校|各类|各|教育|阶段|在籍|全日制|学生|校内",
    "who runs the schools": r"[市区县省州]属|管辖的?|直属的?|省级认定|认定|在职|在编",
    "an event it happened at": r"(?:在)?[^，。；]{0,16}?(?:技能大赛|大赛|竞赛|比赛)中?",
    "what the area did": r"(?:[市县区省]级?)?财政|安排|下达|投入|落实|筹措|开展|举办|拨付|发放|完成|开设|设有|实现|组织|"
                         r"获得|荣获|获|聘请的?|外聘的?|登记|实际",
    "when": r"当年|本年|今年|上一?年|去年|上一?学年|年度|(?:秋季|春季)?学期|秋季|春季|学年|年|届|全年|目前|当前|现|初次",
    "function words": r"共有|现有|拥有|共|有|其中|另|另外|此外|还|已|平均|累计|合计|总计|为|达到|达|是",
}
SCOPE_WORDS = re.compile("(?:" + "|".join(_SCOPE_KINDS.values()) + ")$")

COUNT_WORD = re.compile(r"\d+(?:所|个)$")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Names of admin divisions, full and short (新乡市, 新乡; 红河哈尼族彝族自治州, 红河州)."""
    from .places import names_of

    names = set()
    for div in divisions().values():
        if len(div.name) <= 2:
            continue  # 城区, 郊区, 矿区: real district names, but in a sentence a part of the area
        names |= names_of(div) | {div.short}
    return frozenset(n for n in names if len(n) >= 2)


def place_at_end(prefix: str) -> int:
    """Length of the admin division name that ends `prefix` (0 when none): 城区 and 市内 are not places."""
    names = _place_names()
    return max((k for k in range(2, min(len(prefix), 12) + 1) if prefix[-k:] in names), default=0)


# "昆明市管辖的中职学校中", "市属学校": a part of the area's schools (the whole may be stated elsewhere).
SUBSET_SCOPE = re.compile(r"(?:管辖的?|直属的?|[市区县省州]属)(?:中等职业学校|中职学校|中职校|中专学校|职业学校|学校)")

# "（不含技工学校）", "除技工学校外": what follows is a part of the population.
# Leaving out 技工学校 is how education statistics count 中职 (技校 report elsewhere), so the
# number is still the whole.
EXCLUDING = re.compile(r"(?:不含|不包括|未含)(?!技工|技校)|除[\u4e00-\u9fff]{1,12}外")

# School types other than 中职: a clause about them is out of scope, and so are the clauses after
# it until another school type is named ("普通高中109所，在校生11.6万人").
OTHER_SCHOOL_TYPE = re.compile(r"(?<!升入)(?<!考入)(?<!进入)(?<!升学)(?<![升入])(?:普通高中|普高|高中阶段|幼儿园|小学|初中|义务教育|特殊教育|高等教育|高校|高职院校|本科院校|技工院校|技师学院|各级各类|社区教育|老年教育|成人教育)")

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


@dataclass
class Hit:
    start: int
    end: int
    code: str


def alias_hits(catalog: Catalog, text: str) -> list[Hit]:
    return [Hit(s, e, c) for s, e, c in catalog.find_aliases(text)]


def top_level(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if not any(o is not h and o.start <= h.start and o.end >= h.end and (o.end - o.start) > (h.end - h.start) for o in hits)]


def qualified(text: str, start: int, hits: list[Hit], of_ok: bool = False) -> bool:
    """True when the words right before an alias narrow it to a sub-population (体育课专任教师).

    The words are peeled off from the alias backwards: scope words (全市, 中职), place names, and
    other aliases that name the group ("毕业生就业人数", "专任教师中思政课教师"). Where two
    readings are possible ("直接就业学生平均月薪": 就业学生, or 学生 then 直接就业) any one that
    peels everything off will do.
    """
    alias_starts: dict[int, set[int]] = {}
    for h in hits:
        if h.end <= start:
            alias_starts.setdefault(h.end, set()).add(h.start)
    return _narrowed(text[:start], alias_starts, of_ok, 12)


def _narrowed(prefix: str, alias_starts: dict[int, set[int]], of_ok: bool, depth: int) -> bool:
    prefix = prefix.rstrip(" “”\"'")
    if not prefix or not re.search(r"[\u4e00-\u9fff]$", prefix):
        return False
    if depth == 0:
        return True
    shorter = []
    if prefix.endswith("的") and SCOPE_WORDS.search(prefix[:-1]):
        shorter.append(prefix[:-1])  # "全校的学生数"
    # "专任教师中…", and for an average or a rate "直接就业的毕业生平均月薪": the group it is about.
    trimmed = prefix[:-1] if prefix.endswith("中") or (of_ok and prefix.endswith("的")) else prefix
    shorter += [trimmed[:s] for s in alias_starts.get(len(trimmed), ())]
    m = SCOPE_WORDS.search(prefix) or COUNT_WORD.search(prefix)
    if m:
        shorter.append(prefix[: m.start()])
    place = place_at_end(prefix)
    if place:
        shorter.append(prefix[:-place])
    return all(_narrowed(p, alias_starts, of_ok, depth - 1) for p in shorter) if shorter else True


def is_year_number(text: str, q: Quantity) -> bool:
    after = text[q.end : q.end + 2]
    if after[:1] in ("年", "月", "日", "届", "级", "号", "期", "版", "批", "轮", "类", "大", "项", "届"):
        return True
    if after.startswith(("学年", "年度")):
        return True
    return bool(re.match(r"(?:19|20)\d\d$", q.printed) and q.unit == "" and YEAR_EXPR.match(text, q.start))


def clause_year(sentence: str, clause_start: int, pos: int, default: int) -> int:
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


@dataclass
class Sentence:
    """One sentence of a paragraph: its text with synonyms folded, the original, and whose it is."""

    block_index: int
    offset: int  # of the sentence in its block's text
    text: str
    original: str
    entity: Entity


def clauses(sentence: str, entity: Entity, entity_of) -> Iterator[tuple[int, str, Entity]]:
    """(start, clause, entity) of a sentence's clauses; a ；-part that opens with another place
    ("长宁区2022年…") or names it as its topic ("学校最多的是广州市") is about that place."""
    pos = 0
    for clause in CLAUSE_SPLIT.split(sentence):
        start = sentence.find(clause, pos)
        pos = start + len(clause)
        if start == 0 or sentence[start - 1] in "；;" or "是" in clause:
            entity = entity_of(clause) or entity
        yield start, clause, entity


@lru_cache(maxsize=4096)
def _school_opening(text: str, area_code: str) -> Entity | None:
    """The school a sentence opens with (the rules and the candidates walk the same sentences)."""
    from .entities import school_at_start

    return school_at_start(text, area_code)


def sentences(blocks: list, subject: Entity) -> Iterator[Sentence]:
    """The sentences of the report's paragraphs; a sentence that opens with a school of the area is
    about that school until one opens with the area again (全市…)."""
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        entity, offset = subject, 0
        for text in SENTENCE_END.split(normalise_terms(block.text)):
            if text.strip():
                school = _school_opening(text.strip(), subject.admin_code)
                # "江西省乐安县职业中学…" in 乐安县职业中学's own report is the subject itself.
                if school and not (school.name.endswith(subject.name) or subject.name.endswith(school.name)):
                    entity = school
                elif AREA_START.match(text.strip()):
                    entity = subject
                yield Sentence(index, offset, text, block.text[offset : offset + len(text)], entity)
            offset += len(text)
