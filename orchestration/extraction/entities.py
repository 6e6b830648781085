"""Entities: the report's own area or school, schools named inside it, and their GB/T 2260 codes.

Place names come from the admin divisions seed (built from cpca's table, see divisions.py);
school abbreviations from the reviewed seed dbt_project/seeds/school_aliases.csv.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..paths import DBT_PROJECT_DIR
from .divisions import division_level, divisions
from .places import ancestors, choose, leading_chain, mentions

SCHOOL_ALIASES_PATH = DBT_PROJECT_DIR / "seeds" / "school_aliases.csv"
SCHOOL_TYPES_PATH = DBT_PROJECT_DIR / "seeds" / "school_types.csv"

# Endings of school names (学校, 职专, 职业教育中心 …), longest first.
SCHOOL_SUFFIX = (
    r"(?:职业中等专业学校|中等专业学校|中等职业学校|(?:职业技术教育|职业教育|职教)中心(?:学校)?|职业技术学校|"
    r"职业高级中学校?|职业中学|职业高中|技工学校|职业学校|卫生学校|师范学校|体育运动学校|艺术学校|[^\s，。、；：]{0,6}?学校|职业中专|职专|中专)"
)
SCHOOL_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,16}}?{SCHOOL_SUFFIX}")
# Words that open generic phrases rather than names ("全市中等职业学校", "各中职学校"); a period
# word opens a sentence, never a name ("去年全县中职学校…").
GENERIC_START = re.compile(r"^(?:全|各|本|该|我|每|所有|其他|其它|一所|多所|中职|中等职业|民办|公办|省级|市级|国家级|县级|区属|市属|省属|现有|共有|有"
                           r"|去年|今年|上一?年|当年|近年)")


@dataclass(frozen=True)
class Entity:
    name: str
    level: str  # school | county | city | province
    admin_code: str  # 6-digit GB/T 2260 code ("" when unknown)


@lru_cache(maxsize=1)
def school_aliases() -> dict[str, str]:
    with open(SCHOOL_ALIASES_PATH, encoding="utf-8", newline="") as handle:
        return {row["alias"]: row["canonical_name"] for row in csv.DictReader(handle)}


def place_code(text: str, context_code: str = "") -> str:
    """The division the first places named in the text point to; a name several divisions share
    is taken inside the report's own area (鼓楼区 in a 南京 report → 320106), else left out."""
    chain = leading_chain(mentions(text))
    if not chain:
        return ""
    return choose(chain[-1].codes, Counter(ancestors(context_code)) if context_code else Counter()) or ""


def county_by_short_name(text: str, context_code: str) -> str:
    """A county of the report's own city (or province) whose short name starts the text (西峰职专 → 西峰区)."""
    if not context_code:
        return ""
    prefix = context_code[:2] if division_level(context_code) == "province" else context_code[:4]
    for short, code in _counties_in(prefix):
        if text.startswith(short):
            return code
    return ""


@lru_cache(maxsize=64)
def _counties_in(prefix: str) -> list[tuple[str, str]]:
    """(short name, code) of the counties whose code starts with prefix, in the divisions' order."""
    return [(div.short, div.code) for div in divisions().values()
            if div.level == "county" and div.code.startswith(prefix)]


def locate(text: str, context_code: str = "") -> str:
    """The most specific admin code a name points to, using the report's area as context."""
    code = place_code(text, context_code)
    if code and division_level(code) != "county":
        code = county_after_places(text, code)
    if context_code and (not code or division_level(code) != "county"):
        code = county_by_short_name(text, context_code) or code
    return code or context_code


def county_after_places(text: str, code: str) -> str:
    """A county's short name right after the places a name opens with (重庆市铜梁职业教育中心 → 铜梁区,
    江苏省句容中等专业学校 → 句容市), else `code`, the area those places name."""
    chain = leading_chain(mentions(text))
    return county_by_short_name(text[chain[-1].end :], code) or code if chain else code


def canonical_school(name: str) -> str:
    return school_aliases().get(name, name)


def resolve(name: str, context_code: str = "") -> Entity:
    """Name → Entity with level and admin code."""
    canonical = canonical_school(name)
    if re.search(SCHOOL_SUFFIX + "$", canonical) and not re.fullmatch(r".{1,8}(?:省|市|区|县)", canonical):
        return Entity(canonical, "school", locate(canonical, context_code))
    code = locate(canonical, context_code)
    level = division_level(code) if code else "city"
    div = divisions().get(code)
    return Entity(div.name if div else canonical, level, code)


GENERIC_SCHOOL_WORDS = re.compile(r"(?:中等职业学校|中职学校|中职校|中专学校|职业学校|职业院校|中等职业教育)$")
NOT_IN_NAMES = re.compile(r"[有共的和与及、在对为是]")

# Phrases about schools in general, never one school's name (issue 19: 其中公办学校 was a subject).
# Words that open such a phrase: 其中公办学校, 另外民办学校, 上述学校.
OPENING_WORDS = ("其中", "另外", "此外", "同时", "包括", "以及", "所有", "其他", "其它", "这些", "上述", "以上", "现有",
                 "共有", "一所", "多所", "每所", "部分", "各类", "各级", "各")
# A scope word and the unit it spans: 全市, 全县, 本校, 该校, 我校, 各区.
SCOPE_HEADS = "全各本该我每此这"
SCOPE_UNITS = "国省市州盟区县旗乡镇校所"
# What a school is: its owner or rank, its type, its field. Without a proper name before them they
# name no school (公办学校, 中等职业学校, 技工学校, 卫生学校).
OWNER_AND_RANK = ("公办", "民办", "国家级", "省级", "市级", "县级", "区级", "省属", "市属", "县属", "区属", "重点", "示范",
                  "骨干", "优质", "特色", "高水平", "达标", "合格", "薄弱", "独立设置", "非独立设置", "同类")
SCHOOL_TYPES = ("中等职业", "中等专业", "中职", "职业技术", "职业教育", "职业", "职教", "技工", "技师", "技术", "中专",
                "职专", "普通", "高级", "中等", "专业", "成人", "特殊教育", "民族")
SCHOOL_FIELDS = ("卫生", "师范", "艺术", "体育运动", "体育", "农业", "工业", "商业", "财经", "旅游", "交通", "护理",
                 "幼儿", "经济", "信息", "工程")
SCHOOL_NOUNS = ("学校", "院校", "学院", "中心", "中学", "高中", "校")


def _any_of(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_KINDS = _any_of(SCHOOL_TYPES + SCHOOL_FIELDS)
GENERIC_OPENING = re.compile(rf"^(?:{_any_of(OPENING_WORDS)}|[{SCOPE_HEADS}][{SCOPE_UNITS}])")
# Only kind words before the noun: 公办学校, 职业中等专业学校, 职教中心.
KIND_ONLY = re.compile(rf"(?:{_any_of(OWNER_AND_RANK)}|{_KINDS})*(?:{_any_of(SCHOOL_NOUNS)})")
# A place's schools of one owner or rank (新乡市公办学校, 河南省民办中职学校): never one school.
OWNED_KIND = re.compile(rf"(?:{_any_of(OWNER_AND_RANK)})+(?:{_KINDS})*(?:{_any_of(SCHOOL_NOUNS)})")


def generic_school_phrase(name: str) -> bool:
    """Whether a phrase ending in a school word speaks of schools in general (其中公办学校, 全市中职学校,
    该校, 技工学校, 新乡市民办学校) rather than naming one school (育才职业学校, 获嘉县职业中等专业学校).
    A place's bare 中等职业学校 is left to the caller: a place's only school is often named so. A
    reference by the area's unit (县职业中专) is no name either: school_name_at_start resolves it."""
    chain = leading_chain(mentions(name))
    if chain and chain[0].start == 0:
        rest = name[chain[-1].end :]
        return bool(GENERIC_OPENING.match(rest) or OWNED_KIND.fullmatch(rest))
    return bool(GENERIC_OPENING.match(name) or GENERIC_START.match(name) or KIND_ONLY.fullmatch(name)
                or school_reference(name))


def school_at_start(sentence: str, context_code: str) -> Entity | None:
    """A school named at the start of a sentence ("获嘉县职业中等专业学校每年…", "四平市经济贸易学校：…")."""
    found = school_name_at_start(sentence, context_code)
    return found[0] if found else None


# Words a sentence about one school may open with before its name ("在XX学校的质量报告中，…").
SCHOOL_OPENING_WORDS = re.compile(r"^(?:案例\s*\d+\s*|其中[，,]?|另外[，,]?|在)?")


def same_school(name: str, other: str) -> bool:
    """Whether two names are one school's, one ending the other (江西省乐安县职业中学 / 乐安县职业中学)."""
    return name.endswith(other) or other.endswith(name)


# A note in brackets after a name in a label or heading ("会宁县博文职业学校（民办）").
LABEL_NOTE = re.compile(r"\s+|[（(][^（）()]*[)）]")


def school_label(label: str, context_code: str) -> Entity | None:
    """The school a table row's label or a heading names and nothing else, a note in brackets aside."""
    found = school_name_at_start(LABEL_NOTE.sub("", label), context_code, whole=True)
    return found[0] if found else None


def school_name_at_start(sentence: str, context_code: str, whole: bool = False) -> tuple[Entity, int, int] | None:
    """The school a sentence opens with, and where its name stands in the sentence; with `whole`,
    only a name that is the whole text (a table row's label: "寿光市职业教育中心学校"). A school
    named by its area's unit (县职业中专) is the area's school of that type."""
    skipped = SCHOOL_OPENING_WORDS.match(sentence).end()
    ref = (_reference().fullmatch if whole else _reference().match)(sentence, skipped)
    school = area_school(ref, context_code) if ref else None
    if school:
        return school, ref.start(), ref.end()
    m = (SCHOOL_NAME.fullmatch if whole else SCHOOL_NAME.match)(sentence, skipped)
    if not m or GENERIC_START.match(m.group(0)) or generic_school_phrase(m.group(0)):
        return None
    name = m.group(0)
    if name in school_aliases():
        return resolve(name, context_code), m.start(), m.end()
    if NOT_IN_NAMES.search(name) and not whole:  # a table row's label is a name even with 和 in it (和桥)
        return None
    code = place_code(name, context_code) or county_by_short_name(name, context_code)
    if not code:
        return None
    div = divisions().get(code)
    place = re.sub(r"^.*?(?:省|市|区|县|旗)", "", name) if div else name
    if GENERIC_SCHOOL_WORDS.fullmatch(place) or (div and GENERIC_SCHOOL_WORDS.fullmatch(name.replace(div.name, ""))):
        return None
    return resolve(name, context_code), m.start(), m.end()


# A school named by its area's unit word alone (县职业中专, 本县职教中心, 省理工中专): the area's
# school of that type. The words are data (dbt_project/seeds/school_types.csv): the types, with
# the full form a name takes (中专 → 中等专业学校, FACTS.md), and the fields that may come before.
REFERENCE_UNITS = {"省": ("province",), "市": ("county", "city"), "州": ("city",), "盟": ("city",),
                   "县": ("county",), "区": ("county",), "旗": ("county",)}


@lru_cache(maxsize=1)
def school_types() -> tuple[dict[str, str], tuple[str, ...]]:
    """({type word: its full form}, field words) from the school_types seed."""
    types, fields = {}, []
    with open(SCHOOL_TYPES_PATH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["role"] == "type":
                types[row["term"]] = row["full_form"]
            else:
                fields.append(row["term"])
    return types, tuple(fields)


@lru_cache(maxsize=1)
def _reference() -> re.Pattern:
    types, fields = school_types()
    return re.compile(rf"(?:[本我])?(?P<unit>[{''.join(REFERENCE_UNITS)}])(?P<field>{_any_of(fields)})?"
                      rf"(?P<type>{_any_of(types)})")


def school_reference(name: str) -> bool:
    """Whether a name is a reference by the area's unit word (县职业中专), not a proper name."""
    return bool(_reference().fullmatch(name))


def area_school(ref: re.Match, context_code: str) -> Entity | None:
    """The school a reference names: the report's own area (or its city or province) whose name ends
    with the unit word, then the field and the full type (修水县 + 职业中专 → 修水县职业中等专业学校)."""
    unit = ref.group("unit")
    for code in ancestors(context_code) if context_code else ():
        div = divisions()[code]
        if div.level in REFERENCE_UNITS[unit] and div.name.endswith(unit):
            name = div.name + (ref.group("field") or "") + school_types()[0][ref.group("type")]
            return Entity(canonical_school(name), "school", code)
    return None
