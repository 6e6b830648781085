"""Entities: the report's own area or school, schools named inside it, and their GB/T 2260 codes.

Place names come from cpca and its table of admin divisions; school abbreviations from the
reviewed seed dbt_project/seeds/school_aliases.csv.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import DBT_PROJECT_DIR

SCHOOL_ALIASES_PATH = DBT_PROJECT_DIR / "seeds" / "school_aliases.csv"
ADMIN_DIVISIONS_PATH = DBT_PROJECT_DIR / "seeds" / "admin_divisions.csv"

# Endings of school names (学校, 职专, 职业教育中心 …), longest first.
SCHOOL_SUFFIX = (
    r"(?:职业中等专业学校|中等专业学校|中等职业学校|职业技术教育中心|职业教育中心|职教中心|职业技术学校|"
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


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county

    @property
    def short(self) -> str:
        return short_name(self.name)


def short_name(name: str) -> str:
    for suffix in ("自治县", "自治州", "自治区", "特别行政区", "地区", "新区", "省", "市", "区", "县", "旗", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def division_level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def parent_codes(code: str) -> tuple[str, str]:
    """(city code, province code) of a division code."""
    return code[:4] + "00", code[:2] + "0000"


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """code → Division, from the admin_divisions seed (generated from cpca's table)."""
    out = {}
    with open(ADMIN_DIVISIONS_PATH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["admin_code"]] = Division(row["admin_code"], row["name"], row["level"])
    return out


def build_admin_divisions(path: Path = ADMIN_DIVISIONS_PATH) -> int:
    """Regenerate the admin_divisions seed from the table cpca ships."""
    import importlib.resources

    import pandas as pd

    table = pd.read_csv(importlib.resources.files("cpca") / "resources" / "adcodes.csv", dtype=str)
    rows = {}
    for code12, name in zip(table["adcode"], table["name"]):
        code = code12[:6]
        if code12[6:].strip("0") or code in rows:
            continue  # towns and duplicates
        level = division_level(code)
        city, province = parent_codes(code)
        rows[code] = {
            "admin_code": code,
            "name": name,
            "level": level,
            "city_code": city if level == "county" else (code if level == "city" else ""),
            "province_code": province,
        }
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["admin_code", "name", "level", "city_code", "province_code"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda r: r["admin_code"]))
    return len(rows)


@lru_cache(maxsize=1)
def school_aliases() -> dict[str, str]:
    with open(SCHOOL_ALIASES_PATH, encoding="utf-8", newline="") as handle:
        return {row["alias"]: row["canonical_name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=4096)
def _cpca_code(text: str) -> str:
    import cpca

    frame = cpca.transform([text])
    code = frame["adcode"].iloc[0]
    return str(code)[:6] if isinstance(code, str) and code else ""


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
    code = _cpca_code(text)
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


GENERIC_SCHOOL_WORDS = re.compile(r"(?:中等职业学校|中职学校|职业学校|中等职业教育)$")
NOT_IN_NAMES = re.compile(r"[有共的和与及、在对为是]")


def school_at_start(sentence: str, context_code: str) -> Entity | None:
    """A school named at the start of a sentence ("获嘉县职业中等专业学校每年…", "四平市经济贸易学校：…")."""
    text = re.sub(r"^(?:案例\s*\d+\s*|其中[，,]?|另外[，,]?)", "", sentence)
    m = SCHOOL_NAME.match(text)
    if not m or GENERIC_START.match(m.group(0)):
        return None
    name = m.group(0)
    if name in school_aliases():
        return resolve(name, context_code)
    if NOT_IN_NAMES.search(name):
        return None
    code = _cpca_code(name) or county_by_short_name(name, context_code)
    if not code:
        return None
    div = divisions().get(code)
    place = re.sub(r"^.*?(?:省|市|区|县|旗)", "", name) if div else name
    if GENERIC_SCHOOL_WORDS.fullmatch(place) or (div and GENERIC_SCHOOL_WORDS.fullmatch(name.replace(div.name, ""))):
        return None
    return resolve(name, context_code)
