"""Whom a document reports on, read from the whole document, and whom a sentence is about.

The subject comes from the title (a school or a place), else from the report a write-up names,
else from the strongest place signal in the text. A place name that several divisions share is
decided by the other places the document names (the issuing 教育局, the city or province in the
text); when nothing decides, the subject keeps the most specific code that is certain and says why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .divisions import division_level, divisions
from .entities import GENERIC_SCHOOL_WORDS, GENERIC_START, NOT_IN_NAMES, SCHOOL_NAME, Entity, canonical_school, \
    LABEL_NOTE, county_after_places, generic_school_phrase, same_school, school_at_start, school_label
from .places import Mention, ambiguity_note, ancestors, choose, common_area, contains, leading_chain, mentions, signals

if TYPE_CHECKING:
    from .documents import ReportMeta

# The report's own area spoken of as a whole ("全省", "我市", "本区"), and the level it names.
SELF_REFERENCE = re.compile(r"[全我本](?:省|市|州|盟|区|县|旗|自治区)")
LEVEL_OF_SELF = {"省": "province", "区": "county", "市": "city", "州": "city", "盟": "city", "县": "county", "旗": "county"}
DEPTH = ("province", "city", "county")
# Openings that come before a sentence's topic ("2022年，", "其中，", "据统计，").
LEADING_FILLER = re.compile(
    r"^(?:(?:19|20)\d\d\s*(?:年度?|届|学年)?[，,、\s]*|(?:其中|另外|此外|同时|目前|近年来|分地区看)[，,：:]?|在"
    r"|(?:据|截至|截止)[^，,]{0,12}[，,]|\s+)+"
)
# A place name that is part of an organisation's or an event's name is not the sentence's topic.
ORGANISATION_AFTER = re.compile(r"^[^，。；、\s有是的和与及在为]{0,6}?(?:教育局|教育厅|教体局|教委|教育委员会|人民政府|政府|日报|学院|大学|"
                                r"技能大赛|大赛|竞赛|比赛)")  # "安徽省职业院校技能大赛中": an event, not the topic
# The place is the topic when it opens the clause or follows "是" ("学校最多的是广州市，有82所").
TOPIC_BEFORE = re.compile(r"(?:^|是)$")
# A figure that is a quantity, not a year ("1223人", "82.42%").
QUANTITY = re.compile(r"\d(?:[\d.,]*)\s*(?:万|亿)?\s*(?:人|名|所|个|%|％|元|册|台|平方米)")
REPORT_NAME = re.compile(r"《([^》]{4,60}?报告[^》]{0,12})》|发布(?:了)?([^，。；《]{4,40}?报告)")
# A school speaking of itself ("我校", "全校", "本校").
SCHOOL_SELF = re.compile(r"[我本该全]校")
# The text introducing a name as one school: "…学校创办于1984年", "…学校是…举办的公办全日制…".
ONE_SCHOOL_AFTER_NAME = re.compile(r"(?:创办于|始建于|创建于|建于|成立于|前身|位于|坐落于|是[^，。；]{0,30}?(?:一所|公办|民办|全日制))")
NATIONAL = re.compile(r"^(?:全国|中国|我国)")
SCHOOL_CODE = re.compile(r"学校标识码\s*[：:]?\s*(\d{10})(?!\d)")
# A sentence ends with its punctuation; headlines and headings (no full stop) are not sentences.
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]")


@dataclass(frozen=True)
class Subject:
    entity: Entity
    review_reason: str = ""


class UnknownSubject(ValueError):
    """No school or division can be settled as the subject; `out_of_scope` when the subject is known
    but the warehouse has no place for it (a national report)."""

    def __init__(self, message: str, out_of_scope: bool = False):
        super().__init__(message)
        self.out_of_scope = out_of_scope


def document_subject(title: str, front: str, body: str) -> Subject:
    """The school or area a document reports on; UnknownSubject (with what was seen) when none."""
    evidence = signals(front + "\n" + body)
    head = re.sub(r"^[\s《“]*(?:(?:19|20)\d\d\s*年?度?)?", "", title)
    cover = [line for line in front.splitlines()[:8] if line.strip() and line.strip() not in title]
    # "XX县中等职业学校…报告" is one school's report when the text speaks as a school (我校, 全校),
    # prints a 学校标识码, or introduces the name as one school (…创办于1984年).
    speaks_as_school = len(SCHOOL_SELF.findall(body)) > len(SELF_REFERENCE.findall(body)) or bool(
        school_code(front + "\n" + body))

    def one_school(name: str) -> bool:
        return speaks_as_school or any(ONE_SCHOOL_AFTER_NAME.match(body, m.end())
                                       for m in re.finditer(re.escape(name), body))

    school = _school(head, evidence, one_school)
    if school:
        return Subject(school)
    chain = leading_chain(mentions(head))
    if chain:
        return _split_by_topics(_area(chain, evidence), body)
    unlisted = _unlisted_division(head, front + "\n" + body, evidence)
    if unlisted:
        return unlisted
    if NATIONAL.search(head):
        raise UnknownSubject("it is a national report; the warehouse has no national level",
                             out_of_scope=True)
    school = next(filter(None, (_school(line.strip(), evidence, at_places=False) for line in cover)), None)
    if school:
        return Subject(school)
    for a, b in REPORT_NAME.findall(front + "\n" + body):
        chain = leading_chain(mentions(a or b))
        if chain:
            return _split_by_topics(_area(chain, evidence), body)
    said = SELF_REFERENCE.findall(front + body)
    strongest = _strongest(evidence, said)
    if strongest is None:
        raise UnknownSubject(f"the text says only «{said[0]}» and names no place" if said else "no place or school is named")
    return _split_by_topics(strongest, body)


def real_entity(entity: Entity) -> bool:
    """Whether a subject is a real entity: a school's proper name, or a GB/T 2260 division (an
    ambiguous name such as 鼓楼区 keeps its shared code, and its review_reason says so)."""
    if entity.level == "school":
        return bool(SCHOOL_NAME.fullmatch(entity.name)) and not generic_school_phrase(entity.name)
    whole_name = any(m.start == 0 and m.end == len(entity.name) for m in mentions(entity.name))
    return entity.admin_code in divisions() or whole_name


def school_code(text: str) -> str:
    m = SCHOOL_CODE.search(text)
    return m.group(1) if m else ""


def entity_in_text(text: str, meta: ReportMeta) -> Entity | None:
    """Another school or place that a sentence or clause is about (named at its start, or as its
    topic: "其次是湛江市，有42所"), resolved within the subject's province; None when it names none."""
    clause = LEADING_FILLER.sub("", text.strip())
    school = school_at_start(clause, meta.admin_code)
    if school:  # the subject itself when one name ends the other (江西省乐安县职业中学 / 乐安县职业中学)
        return None if same_school(school.name, meta.subject) else school
    context = Counter(ancestors(meta.admin_code)) if meta.admin_code else Counter()
    for m in mentions(clause):
        after = clause[m.end :]
        if not TOPIC_BEFORE.search(clause[: m.start]) or ORGANISATION_AFTER.match(after):
            continue
        school_words = SCHOOL_NAME.match(after)
        words = school_words.group(0) if school_words else ""
        if words and not (GENERIC_START.match(words) or NOT_IN_NAMES.search(words) or _generic(words)
                          or generic_school_phrase(clause[m.start : m.end + len(words)])):
            return None  # a school's name (school_at_start did not take it, so not another school)
        code = choose(m.codes, context)
        if code is None or code == meta.admin_code:
            return None
        return Entity(divisions()[code].name, division_level(code), code)
    return None


def row_entity(label: str, meta: ReportMeta) -> Entity | None:
    """The school or the place within the subject's area that a table row is about, when the row's
    label is that name and nothing else ("三台县刘营职业高级中学", "襄垣县"); None otherwise."""
    school = school_label(label, meta.admin_code)
    if school:
        return None if same_school(school.name, meta.subject) else school
    label = LABEL_NOTE.sub("", label)
    if not meta.admin_code or not any(m.start == 0 and m.end == len(label) for m in mentions(label)):
        return None
    place = entity_in_text(label, meta)
    if place is None or place.level == "school" or meta.admin_code not in ancestors(place.admin_code)[1:]:
        return None
    return place


def _school(text: str, evidence: Counter, one_school: Callable[[str], bool] | None = None,
            at_places: bool = True) -> Entity | None:
    """The school a title or cover line names (at its start, or at a place name in it), with the
    code of the most specific place in its name; None for "XX市中等职业学校", the area's schools,
    unless `one_school(name)` says the text is one school's (a county's or city's only school is
    often named so)."""
    starts = [0] + ([m.start for m in mentions(text)] if at_places else [])
    for name in (m.group(0) for m in (SCHOOL_NAME.match(text, i) for i in starts) if m):
        chain = leading_chain(mentions(name))
        # "XX县中等职业学校", and a city's school named in full ("三亚市中等职业学校"), may be one school;
        # "大庆中职学校", in short, are the city's schools.
        words = name[chain[-1].end :] if chain else name
        level = division_level(chain[-1].codes[0]) if chain else ""
        named_in_full = level == "county" or (level == "city" and not words.startswith("中职"))
        sole_school = named_in_full and one_school is not None and one_school(name)
        generic = _generic(words) and not sole_school
        opened = GENERIC_START.match(name) or generic_school_phrase(name)
        if opened or NOT_IN_NAMES.search(name) or (chain and chain[0].start > 0) or generic:
            continue  # words before the place name are tried again from the place
        return _school_entity(name, chain, evidence)
    return None


def _school_entity(name: str, chain: list[Mention], evidence: Counter) -> Entity:
    """The school a title names, by the full name it gives. A province before a county written in
    full only locates it (江西省乐安县职业中学 → 乐安县职业中学); a 直辖市 is the school's city, part of
    its name (重庆市江津区…, as its district's report lists it); a county's short name after the
    places gives the code (重庆市铜梁职业教育中心 → 铜梁区)."""
    place = _area(chain, evidence) if chain else _strongest(evidence, [])
    code = place.entity.admin_code if place else ""
    if chain and code and division_level(code) != "county":
        code = county_after_places(name, code)
    first = chain[0].codes[0] if chain else ""
    if len(chain) > 1 and division_level(first) == "province" and not divisions()[first].name.endswith("市"):
        name = name[chain[1].start :]
    return Entity(canonical_school(name), "school", code)


def _generic(after_place: str) -> bool:
    """Whether the words after a place name are the area's schools, not one school's name."""
    return bool(GENERIC_SCHOOL_WORDS.fullmatch(after_place) or re.match(r"中职|中等职业", after_place))


# A title that opens with a division's name the code table lacks (one renamed or created since:
# 梁平区, once 梁平县), before the report's own words. New areas and zones (新区, 开发区) are no division.
DIVISION_SUFFIXES = "区县市旗"
_REPORT_WORDS_NEXT = r"(?=\s*(?:(?:19|20)\d\d|中等|中职|职业))"
UNLISTED_DIVISION = re.compile(rf"^([\u4e00-\u9fff]{{2,6}}?[{DIVISION_SUFFIXES}]){_REPORT_WORDS_NEXT}")


def _unlisted_division(head: str, text: str, evidence: Counter) -> Subject | None:
    """The division a title names that the code table does not list. Within the area the text
    names it in ("重庆市梁平区教育委员会"), the listed division of the same stem (梁平县) is it, renamed;
    with none, UnknownSubject: its facts wait rather than join another division's."""
    m = UNLISTED_DIVISION.match(head)
    name = m.group(1) if m else ""
    if not name or SELF_REFERENCE.fullmatch(name) or mentions(name) or name.endswith(("新区", "开发区")):
        return None
    within = [p for p in mentions(text) if text.startswith(name, p.end)]
    parent = choose(within[0].codes, evidence) if within else None
    if not parent:
        return None
    stem = name[:-1]
    renamed = [c for c, d in divisions().items() if d.name[:-1] == stem and d.name[-1] in DIVISION_SUFFIXES
               and parent in ancestors(c)[1:]]
    if len(renamed) != 1:
        raise UnknownSubject(f"«{name}» is not in the division code table (the text places it in "
                             f"{divisions()[parent].name}); add it to dbt_project/seeds/admin_divisions.csv")
    old = divisions()[renamed[0]]
    return Subject(Entity(name, division_level(old.code), old.code),
                   f"«{name}» is not in the division code table; it is taken as {old.name} ({old.code}), "
                   "the division of that name there, renamed")


def _area(chain: list[Mention], evidence: Counter) -> Subject:
    """The division a chain of place names ends on, decided by the document's evidence."""
    last = chain[-1]
    code = choose(last.codes, evidence)
    if code:
        return Subject(Entity(divisions()[code].name, division_level(code), code))
    return Subject(Entity(last.name, division_level(last.codes[0]), common_area(last.codes)), ambiguity_note(last))


def _strongest(evidence: Counter, self_references: list[str]) -> Subject | None:
    """The most named province, then within it the most named city and county while one stands
    out (named in at least half of its parent's mentions), down to the level the text speaks of
    itself at (全省 → a province); flagged when the text speaks of a smaller area than it names."""
    levels = {LEVEL_OF_SELF[r[-1]] for r in self_references}
    stop = max(levels, key=DEPTH.index) if levels else "county"
    provinces = [c for c in evidence if division_level(c) == "province"]
    if not provinces:
        return None
    code = max(provinces, key=lambda c: evidence[c])
    while DEPTH.index(division_level(code)) < DEPTH.index(stop):
        children = [c for c in evidence if ancestors(c)[1:2] == [code]]
        best = max(children, key=lambda c: evidence[c], default=None)
        if best is None or evidence[best] * 2 < evidence[code]:
            break
        code = best
    div = divisions()[code]
    short = bool(levels) and DEPTH.index(div.level) < DEPTH.index(stop)
    note = f"the text speaks of «{'、'.join(sorted(set(self_references)))}» but names no such area inside {div.name}" if short else ""
    return Subject(Entity(div.name, div.level, code), note)


def _split_by_topics(subject: Subject, body: str) -> Subject:
    """A write-up that never speaks of its area as a whole but gives figures for several of its
    parts (three districts of 上海) is about those parts: the first of them is its subject."""
    area = subject.entity.admin_code
    if not area or SELF_REFERENCE.search(body):
        return subject
    topics: list[str] = []
    for sentence in SENTENCE.findall(body):
        clause = LEADING_FILLER.sub("", sentence)
        found = mentions(clause)
        if not found or found[0].start != 0 or not QUANTITY.search(clause):
            continue
        inside = tuple(c for c in found[0].codes if contains(area, c))
        if area in inside:
            return subject  # the area itself opens a sentence with a figure
        if len(inside) == 1 and inside[0] not in topics:
            topics.append(inside[0])
    if len(topics) < 2:
        return subject
    names = "、".join(divisions()[c].name for c in topics)
    first = topics[0]
    return Subject(Entity(divisions()[first].name, division_level(first), first),
                   f"a write-up about several areas of {subject.entity.name} ({names}); facts follow the area each sentence names")
