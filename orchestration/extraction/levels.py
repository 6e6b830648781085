"""Levels of education and the documents that cover them all. A statistical bulletin or yearbook page
(教育事业发展统计公报, 教育统计年鉴, 教育概况) states every level of an area (学前、小学、初中、高中、
中职、高校); 中职 is one section, one row or one column of it. The words are data, in
dbt_project/seeds/education_levels.csv, one list for every use: a level's name in a heading, a row
label or a column header (`use` level), in a sentence (`use` clause), or both; and the words that
make a level the place graduates go (升入高职, 考入本科院校) rather than whose a figure is.
Plain functions."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from ..paths import DBT_PROJECT_DIR

LEVELS_PATH = DBT_PROJECT_DIR / "seeds" / "education_levels.csv"

# Section numbering before a heading's words ("三、", "（四）", "4.", "第二部分").
NUMBERING = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}\s*[、.．]"
                       r"|第[一二三四五六七八九十]+[章节部分])\s*")
BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
# What may follow a level's name in a heading, a row label or a column header ("普通高中教育").
# Not 阶段: 高中阶段教育 spans 普通高中 and 中职.
LEVEL_SUFFIX = ("", "教育", "学校", "情况", "基本情况", "发展", "教育发展", "教育情况")


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str], ...]:
    with open(LEVELS_PATH, encoding="utf-8", newline="") as handle:
        return tuple((row["term"], row["role"], row.get("use") or "") for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _terms() -> dict[str, tuple[str, ...]]:
    """Terms by role, as names of a level (headings, row labels, column headers, titles)."""
    by_role: dict[str, list[str]] = {}
    for term, role, use in _rows():
        if use != "clause":
            by_role.setdefault(role, []).append(term)
    return {role: tuple(terms) for role, terms in by_role.items()}


@lru_cache(maxsize=None)
def clause_terms(role: str) -> tuple[str, ...]:
    """The terms of a role that name it inside a sentence, longest first (so an alternation of them
    matches 中等职业学校 before 中等职业)."""
    return tuple(sorted((t for t, r, use in _rows() if r == role and use in ("clause", "both", "")),
                        key=len, reverse=True))


def level_terms(role: str) -> tuple[str, ...]:
    """The terms of a role that name a level in a heading, a row label or a column header."""
    return _terms().get(role, ())


def alternation(terms: tuple[str, ...]) -> str:
    return "|".join(re.escape(t) for t in terms)


def level_of(label: str) -> str | None:
    """"vocational" when a heading, row label or column header names 中职 as a level (中等职业学校,
    （四）中等职业教育), "other" when it names another level (普通高中, 小学, 普通高校), None for
    anything else (a measure, a school type within 中职 such as 技工学校, a phrase)."""
    core = BRACKETED.sub("", NUMBERING.sub("", label))
    core = re.sub(r"[\s:：]", "", core)
    if not core:
        return None
    for role in ("vocational", "other"):
        for term in _terms().get(role, ()):
            if core.startswith(term) and core[len(term):] in LEVEL_SUFFIX:
                return role
    return None


def numbering_style(heading: str) -> str:
    """How a heading is numbered ("三、" → "一、", "（四）" → "（一）", "4." → "1."), "" when it is not:
    headings numbered alike are of the same rank."""
    m = NUMBERING.match(heading)
    if not m:
        return ""
    return re.sub(r"[一二三四五六七八九十]+", "一", re.sub(r"\d+", "1", re.sub(r"\s", "", m.group())))


def statistics_document(title: str) -> str | None:
    """"yearbook" for a yearbook's page (南京年鉴), "bulletin" for a statistical bulletin or overview of
    all levels (教育事业发展统计公报, 教育概况), None for any other title."""
    if any(term in title for term in _terms().get("yearbook", ())):
        return "yearbook"
    if any(term in title for term in _terms().get("statistics_document", ())):
        return "bulletin"
    return None


def states_vocational_level(lines: list[str]) -> bool:
    """Whether a document states a figure for 中职 as a level: a table row or a clause that names it
    and holds a number ("中等职业学校 | 57 | 58", "全市共有中等职业学校12所"), or a section headed by it
    ("（四）中等职业教育")."""
    terms = _terms().get("vocational", ())
    return any(term in line and re.search(r"\d", line) or level_of(line) == "vocational"
               for line in lines for term in terms)
