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

# Endings of school names (学校, 职专, 职业教育中心 …), longest first.
SCHOOL_SUFFIX = (
    r"(?:职业中等专业学校|中等专业学校|中等职业学校|(?:职业技术教育|职业教育|职教)中心(?:学校)?|职业技术学校|"
    r"职业高级中学校?|职业中学|职业高中|技工学校|职业学校|卫生学校|师范学校|体育运动学校|艺术学校|[^\s，。、；：]{0,6}?学校|职业中专|职专|中专)"
)
SCHOOL_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,16}}?{SCHOOL_SUFFIX}")
# Words that open generic phrases rather than names ("全市中等职业学校", "各中职学校").
GENERIC_START = re.compile(r"^(?:全|各|本|该|我|每|所有|其他|其它|一所|多所|中职|中等职业|民办|公办|省级|市级|国家级|县级|区属|市属|省属|现有|共有|有)")


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
    for div in divisions().values():
        if div.level == "county" and div.code.startswith(prefix) and text.startswith(div.short):
            return div.code
    return ""


def locate(text: str, context_code: str = "") -> str:
    """The most specific admin code a name points to, using the report's area as context."""
    code = place_code(text, context_code)
    if context_code and (not code or division_level(code) != "county"):
        code = county_by_short_name(text, context_code) or code
    return code or context_code


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


def school_at_start(sentence: str, context_code: str) -> Entity | None:
    """A school named at the start of a sentence ("获嘉县职业中等专业学校每年…", "四平市经济贸易学校：…")."""
    found = school_name_at_start(sentence, context_code)
    return found[0] if found else None


def school_name_at_start(sentence: str, context_code: str, whole: bool = False) -> tuple[Entity, int, int] | None:
    """The school a sentence opens with, and where its name stands in the sentence; with `whole`,
    only a name that is the whole text (a table row's label: "寿光市职业教育中心学校")."""
    skipped = re.match(r"^(?:案例\s*\d+\s*|其中[，,]?|另外[，,]?)?", sentence).end()
    m = (SCHOOL_NAME.fullmatch if whole else SCHOOL_NAME.match)(sentence, skipped)
    if not m or GENERIC_START.match(m.group(0)):
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
