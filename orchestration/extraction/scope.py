"""The words around a number that say whose and which figure it is: scope (全市, 中职, 区属),
sub-populations and other school types, alias hits and the qualifiers before them, and the period
of a clause. Shared by the prose and table rules and by candidate scoring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .catalog import Catalog
from .entities import Entity, divisions, same_school, school_label
from .levels import alternation, clause_terms, level_of, level_terms, numbering_style
from .periods import YEAR_EXPR, period_mentions, year_mentions
from .units import Quantity

# A sentence that opens with the whole area (全市…) is about the report's own subject again.
AREA_START = re.compile(r"^(?:\d{4}年[，,]?)?(?:全市|全区|全县|全省|全州|全校|全盟)")
SENTENCE_END = re.compile(r"(?<=[。！？!?])")

CLAUSE_SPLIT = re.compile(r"[，；;：]|,(?!\d{3})|:(?!\s*\d)")

# Words that make a number a change, a comparison or a target rather than a level.
# "提高到/降至/调整为" name the level reached, not a change.
CHANGE_WORDS = re.compile(r"(?:增加|减少|增长|下降|提高|提升|上升|降低)(?!到|至|为)|增幅|降幅|增量|减幅|比上年|较上年|同比|环比|多出|少于|超出|新增|净增|目标|计划|力争|预计|不低于|不少于|不超过|达标")

# A plan or target: after these words the rest of the sentence says what is to come ("力争到2025年
# …达到70%，…新建实训工位300个"), until an actual figure is named again ("实际招生…"). 计划 only as a
# verb: "…提升计划，全市投入…" names a programme, then what was done.
TARGET_START = re.compile(r"力争|预计|下一步|今后|未来|目标(?:是|为|[:：])|计划(?=[\u4e00-\u9fff]|(?:19|20)\d\d)(?![内外数单表书》”]|实施)")
# "到2025年" is a deadline; "截至2018年4月", "截止到2018年", "截至到2024年底" say as of when.
DEADLINE = re.compile(r"(?:(?<!截至)(?<!截止)到|(?<!截)(?<!截止)至)\s*((?:19|20)\d\d)\s*年")
ACTUAL_AGAIN = re.compile(r"实际|实有|已完成|已经|实现了|完成了")


# The area a scope word names as a whole ("全省", "我市", "本校"), by the level it speaks for.
AREA_WORD = re.compile(r"[全我本](自治区|省|市|州|盟|县|区|旗|校)")
_RANK = {"school": 0, "county": 1, "city": 2, "province": 3}
_WORD_RANK = {"校": 0, "县": 1, "旗": 1, "区": 1, "市": 2, "州": 2, "盟": 2, "省": 3, "自治区": 3}


def names_a_larger_area(clause: str, pos: int, subject: Entity) -> bool:
    """Whether the clause, before pos, opens with an area above the subject ("全省中职学校平均升学率"
    in a school's or a city's report): a benchmark, not the subject's own figure. The subject's own
    word is never larger: a county-level city says 全市, a district 全区."""
    rank = _RANK.get(subject.level)
    if rank is None:
        return False
    # Only as the clause's topic, at its start: "与本省经济…相适应的14个专业" is the school's.
    m = re.match(r"\s*(?:(?:19|20)\d\d\s*年度?\s*)?(?:在|据|从)?" + AREA_WORD.pattern, clause[:pos])
    if not m:
        return False
    word = m.group(1)
    if subject.level != "school" and subject.name.endswith(word):
        return False
    above = _WORD_RANK[word] - rank
    if above <= 0 or word == "区" and rank >= 2:  # 全区 of a city is no larger area
        return False
    # A district report may call its own schools 全市 (a loose word for the city it is the seat of):
    # there the city needs a benchmark's word. Any other larger area is another area's figure.
    if subject.level == "county" and word in ("市", "州", "盟"):
        return bool(BENCHMARK.search(clause[:pos]))
    return True


BENCHMARK = re.compile(r"平均|均值|水平|标准")


# One person's figure ("学员梁某…月收入达到3200元", "…被某企业录用，月薪6500元"): not the school's.
ONE_PERSON = re.compile(r"某某|[\u4e00-\u9fff]{2,3}同学|学员[\u4e00-\u9fff]{2,3}[，,在从]|被[^，。；]{0,16}录用|校友[\u4e00-\u9fff]{2,3}")


def not_its_figure(sentence: str, clause_start: int, pos: int, body_year: int, entity: Entity, subject: Entity) -> str:
    """Why the number at pos is no figure of the clause's entity, whatever indicator it names: a plan,
    one person's figure, or a larger area's benchmark; "" when it may be. The rules and the
    candidates ask the same."""
    if in_target(sentence, pos, body_year):
        return "a plan or target"
    if ONE_PERSON.search(segment_of(sentence, pos)):
        return "one person's figure"
    if entity == subject and names_a_larger_area(sentence[clause_start:pos], pos - clause_start, subject):
        return "a larger area's figure"
    return ""


def in_target(sentence: str, pos: int, body_year: int) -> bool:
    """Whether the number at pos is part of a plan or target: after a target word, or a deadline after
    the year the body describes ("到2025年"), with no actual figure named since."""
    text = re.sub(r"《[^》]*》", lambda m: "＿" * len(m.group()), sentence[:pos])  # a plan's title is no plan
    starts = [m.end() for m in TARGET_START.finditer(text)]
    starts += [m.end() for m in DEADLINE.finditer(text) if int(m.group(1)) > body_year]
    return bool(starts) and not ACTUAL_AGAIN.search(text, max(starts))


# Words that may stand between the clause start and an alias without narrowing it, by kind.
_SCOPE_KINDS = {
    "the area as a whole": r"全市|全区|全县|全省|全州|全盟|全旗|全地区|全自治区|全校|全体|辖区内?|该校|该市|该县|该区|"
                           r"本市|本区|本县|本校|我市|我区|我县|我省|我校|市内|区内|县内|省内",
    "中职 as the level": r"(?:市内|区内|县内|[市区县省]属)?(?:中等职业教育|中等职业学校|中职学校|中职校|中专学校|职业学校|职业教育|中职|中专)(?:学生)?"
                        r"|学校|各类|各|教育|阶段|在籍|全日制|学生|校内",
    "who runs the schools": r"[市区县省州]属|管辖的?|直属的?|省级认定|认定|在职|在编",
    # The filler stops at 在, so the event starts there ("全市学生在2022年…大赛中"), not mid-word.
    "an event it happened at": r"(?:在)?[^，。；在]{0,20}?(?:技能大赛|大赛|竞赛|比赛)中?",
    "who competed": r"(?:代表队|参赛选手|选手|学子)(?:共|累计)?",
    "where they came from": r"(?:本地|当地|合作)?(?:行业)?企业的?",
    "what the area did": r"(?:全?[市县区省]级?)?财政|安排|下达|投入|落实|筹措|开展|举办|拨付|发放|完成|开设|设有|实现|组织|"
                         r"获得|荣获|获|斩获|聘请的?|外聘的?|登记|实际|担任|争取",
    "where the money came from": r"(?:中央|上级|省级|市级|县级|区级)(?:和|及|、)?",
    "what it includes": r"[\u4e00-\u9fff、“”]{1,16}?等",
    # "438名学生通过各类渠道升入高等院校", "631名毕业生成功进入…": how they got there.
    "how they went": r"(?:通过|经由|经过|经)[^，。；\d]{0,16}?(?:渠道|途径|方式|形式)|成功|顺利",
    "whom it served": r"面向(?:社会|企业|社区|农村|行业)[^，。；]{0,4}?",
    "when": r"上一?年度|本年度|本学年|今年度|当年|本年|今年|上一?年|去年|上一?学年|年度|(?:秋季|春季)?学期|秋季|春季|学年|年|届|全年|目前|当前|现|初次",
    "function words": r"具有|具备|共有|现有|拥有|共|有|其|其中|另|另外|此外|还|已|平均|累计|合计|总计|为|达到|达|是",
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

# School types other than 中职 (education_levels.csv): a clause about them is out of scope, and so
# are the clauses after it until another school type is named ("普通高中109所，在校生11.6万人").
# Not a level named as a qualification ("研究生学历", "高中文化程度").
OTHER_SCHOOL_TYPE = re.compile(f"(?:{alternation(clause_terms('other'))})"
                               r"(?!(?:及以上|以上)?(?:学历|学位|文化))")

# Where graduates go: a destination verb and the levels it names, with their remarks and
# conjunctions ("升入高职（专科）及本科院校", "考入普通高校"). A level there is no scope.
_DESTINATION_LEVELS = alternation(tuple(sorted(
    set(clause_terms("other")) | set(clause_terms("destination")) | set(level_terms("other")),
    key=len, reverse=True)))
DESTINATION = re.compile(f"(?P<verb>{alternation(clause_terms('destination_verb'))})"
                         f"(?:{_DESTINATION_LEVELS}|[（(][^（）()，。；]{{0,8}}[)）]|[及和与、或]|各类|各级)*"
                         f"(?:{_DESTINATION_LEVELS})(?:院校|学校)?")

# 中职 by name; in a report of 中职, "学校" and 我校 … name it too.
_VOCATIONAL_NAMES = alternation(clause_terms("vocational"))
VOCATIONAL = re.compile(_VOCATIONAL_NAMES + r"|我校|本校|全校|学校")


def destinations(clause: str) -> list[tuple[int, int]]:
    """Spans of the clause that name where graduates go ("升入高职（专科）及本科院校")."""
    return [m.span() for m in DESTINATION.finditer(clause)]


# "其中民办中职学校2所，在校生1260人": a sub-group opens the rest of the sentence.
SUBGROUP_START = re.compile(r"^\s*其中[，,]?\s*(?:民办|公办|非全日制|女生|建档立卡|农村|少数民族|残疾)")


# Under another level's heading "全市共有学校11所" is that level's: only 中职 by name brings it back.
VOCATIONAL_NAMED = re.compile(_VOCATIONAL_NAMES)


def scope_after(scope: str | None, sentence: str, start: int, clause: str) -> str | None:
    """The scope in force for a clause, given the one before it: another school type holds until a
    clause names 中职 again; a sub-group ("其中民办…") only to the end of its ；-part; another level's
    section ("二、普通高中教育") until a clause names 中职 by name."""
    if scope == "subgroup" and start and sentence[start - 1] in "；;":
        scope = None
    found = clause_scope(clause)
    if scope == "other section" and found == "vocational" and not VOCATIONAL_NAMED.search(clause):
        return scope
    return found or scope


def out_of_scope(scope: str | None) -> bool:
    return scope in ("other", "subgroup", "other section")


LEFT_OUT_NOTE = re.compile(r"[（(](?:不含|不包括|未含|未包括|除)[^（）()]*[)）]")


@lru_cache(maxsize=8192)  # asked of each clause by the candidates and again by the rules
def clause_scope(clause: str) -> str | None:
    """"other" when the last school type a clause names is not 中职, "subgroup" when the clause opens a
    sub-group ("其中民办…"), "vocational" when it names 中职, else None."""
    if SUBGROUP_START.match(clause):
        return "subgroup"
    # Where graduates went, and a type a note leaves out ("4所（不含技工院校）"), are not the scope.
    set_aside = destinations(clause) + [m.span() for m in LEFT_OUT_NOTE.finditer(clause)]
    spans = [m.span() for m in OTHER_SCHOOL_TYPE.finditer(clause)
             if not any(a < m.start() < b for a, b in set_aside)]
    other = [end for _, end in spans]
    # "初中学校98所", "各级各类学校": a generic 学校 right after another school type, or inside its
    # name (普通高等学校), is that type's.
    ours = [m.end() for m in VOCATIONAL.finditer(clause)
            if not any(a < m.start() <= b for a, b in spans)]
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
    elif trimmed != prefix and SCOPE_WORDS.search(trimmed):
        shorter.append(trimmed[: SCOPE_WORDS.search(trimmed).start()])  # "直接就业学生中…": the group, then 中
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


def _segment_start(sentence: str, pos: int) -> int:
    return max(sentence.rfind("；", 0, pos), sentence.rfind(";", 0, pos)) + 1


def segment_of(sentence: str, pos: int) -> str:
    """The ；-part of a sentence that holds position pos."""
    ends = [i for i in (sentence.find("；", pos), sentence.find(";", pos)) if i >= 0]
    return sentence[_segment_start(sentence, pos) : min(ends, default=len(sentence))]


def clause_year(sentence: str, clause_start: int, pos: int, default: int, written: int | None = None) -> int:
    """The clause's own year, else the first year of its ；-segment, else of its sentence, else the body year.
    今年/去年 count from `written`, the year of a dated document, when given.

    Years far before the body year are history ("1996年经省教育厅批准…"), not periods.
    """
    found = [(s, y) for s, e, y in period_mentions(sentence, default, written)
             if e <= pos and y >= default - 2]
    in_clause = [y for s, y in found if s >= clause_start]
    if in_clause:
        return in_clause[-1]
    segment_start = _segment_start(sentence, pos)
    in_segment = [y for s, y in found if s >= segment_start]
    if in_segment:
        return in_segment[0]
    return found[0][1] if found else default


def topic_year(sentence: str, body_year: int) -> int | None:
    """The period a sentence opens with as its topic ("2024年，", "2022-2023学年,"), when it is one the
    body may describe (not history, not a plan's future year)."""
    found = year_mentions(sentence)
    if not found:
        return None
    start, end, year = found[0]
    if sentence[:start].strip(" \t在于") or not sentence[end:].lstrip().startswith(("，", ",")):
        return None
    return year if body_year - 2 <= year <= body_year else None


@dataclass
class Sentence:
    """One sentence of a paragraph: its text with synonyms folded, the original, and whose it is."""

    block_index: int
    offset: int  # of the sentence in its block's text
    text: str
    original: str
    entity: Entity
    year: int = 0  # the period of a number with none of its own in the sentence
    scope: str | None = None  # "other section" under a heading of another level (二、普通高中教育)
    written: int | None = None  # a dated document's year, which 今年/去年 count from


def clauses(sentence: str, entity: Entity, entity_of) -> Iterator[tuple[int, str, Entity]]:
    """(start, clause, entity) of a sentence's clauses; a ；-part that opens with another place
    ("长宁区2022年…") or names it as its topic ("学校最多的是广州市") is about that place, and one
    that opens with a school ("…；瑞金市中等专业学校开设专业12个") is about that school until a
    ；-part opens with the area again (全市…). A clause inside a part that opens with 其中 and a school
    ("…在校生7416人，其中县职业中专在校生5238人") is that school's alone. The name of a school a clause
    opens with is blanked out of the clause: it says whose the figures are, it does not narrow them
    (or hold aliases: "专业" in 中等专业学校)."""
    pos, opening = 0, entity
    for clause in CLAUSE_SPLIT.split(sentence):
        start = sentence.find(clause, pos)
        pos = start + len(clause)
        new_part = start > 0 and sentence[start - 1] in "；;"
        opens = start == 0 or new_part or sentence[:start].strip(" ，,") in ("其中", "另外", "此外")
        inner = not opens and clause.lstrip().startswith("其中")
        school = _school_opening(clause.strip(), entity.admin_code) if opens or inner else None
        if school:
            named, name_start, name_end = school
            if new_part:
                entity = named
            lead = len(clause) - len(clause.lstrip())
            clause = clause[: lead + name_start] + " " * (name_end - name_start) + clause[lead + name_end :]
            if inner:
                own = entity.level == "school" and (named.name.endswith(entity.name)
                                                    or entity.name.endswith(named.name))
                yield start, clause, entity if own else named
                continue
        elif new_part and AREA_START.match(clause.strip()):
            entity = opening
        elif start == 0 or new_part or "是" in clause:
            entity = entity_of(clause) or entity
        yield start, clause, entity


Walk = list[tuple["Sentence", list[tuple[int, str, Entity]]]]


def walk(blocks: list, subject: Entity, body_year: int, entity_of, written: int | None = None) -> Walk:
    """Each paragraph sentence with its clauses (sentences, clauses), once per report: the rules and
    the candidates read the same ones."""
    return [(s, list(clauses(s.text, s.entity, entity_of)))
            for s in sentences(blocks, subject, body_year, written)]


@lru_cache(maxsize=4096)
def _school_opening(text: str, area_code: str) -> tuple[Entity, int, int] | None:
    """The school a sentence opens with and where its name is (the rules and the candidates walk the
    same sentences)."""
    from .entities import school_name_at_start

    return school_name_at_start(text, area_code)


def sentences(blocks: list, subject: Entity, body_year: int = 0,
              written: int | None = None) -> Iterator[Sentence]:
    """The sentences of the report's paragraphs; a sentence that opens with a school of the area is
    about that school until one opens with the area again (全市…). A sentence that opens with a
    period as its topic ("2024年，全省…") sets the year of the paragraph's sentences after it. Under a
    heading of another level of education ("二、普通高中教育", in a bulletin of all levels) the
    sentences start out of scope, until a heading of 中职 or of the same rank."""
    section, section_rank = None, ""
    # Under a heading that is another school's name (a page profiling several schools), the
    # paragraphs are about that school until a heading of the same or a higher rank (ranks in the
    # order their numbering first appears).
    heading_school, school_rank, ranks = None, 0, []
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            level, rank = level_of(block.text), numbering_style(block.text)
            if level is not None or rank == section_rank:
                section, section_rank = ("other section" if level == "other" else None), rank
            if rank not in ranks:
                ranks.append(rank)
            depth = ranks.index(rank)
            school = school_label(block.text, subject.admin_code)
            if school or depth <= school_rank:
                heading_school = None if school is None or same_school(school.name, subject.name) else school
                school_rank = depth if heading_school else 0
            continue
        if block.kind != "paragraph":
            continue
        entity, offset, year = heading_school or subject, 0, body_year
        for text in SENTENCE_END.split(normalise_terms(block.text)):
            if text.strip():
                opening = _school_opening(text.strip(), subject.admin_code)
                school = opening[0] if opening else None
                # "江西省乐安县职业中学…" in 乐安县职业中学's own report is the subject itself.
                if school and not same_school(school.name, subject.name):
                    entity = school
                elif AREA_START.match(text.strip()):
                    entity = subject
                original = block.text[offset : offset + len(text)]
                yield Sentence(index, offset, text, original, entity, year, section, written)
                year = topic_year(text, body_year) or year
            offset += len(text)
