"""Period years: the calendar year a number refers to (FACTS.md), not the report's title year."""

from __future__ import annotations

import re
from collections import Counter

# 2022-2023学年 → 2023 (end year); 2023年秋季学期 → 2023; 2022届 → 2022; 2023年 → 2023.
YEAR_EXPR = re.compile(
    r"(?P<start>(?:19|20)\d\d)\s*(?:年)?\s*[-—–~至]\s*(?P<end>(?:19|20)?\d\d)\s*学?年度?"
    r"|(?P<year>(?:19|20)\d\d)\s*(?P<suffix>学年|年度|年|届)"
)
# A year after these words is a comparison base, not the period ("比2022年减少").
COMPARISON_BEFORE = ("比", "较", "与", "同", "自", "从", "截至", "于", "对比")
COMPARISON_AFTER = ("相比", "同期", "以来", "起", "底")


def _value(m: re.Match) -> int:
    if m.group("end"):
        end = m.group("end")
        return int(end) if len(end) == 4 else int(m.group("start")[:2] + end)
    return int(m.group("year"))


def year_mentions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of every period-setting year expression."""
    out = []
    for m in YEAR_EXPR.finditer(text):
        before = text[max(0, m.start() - 2) : m.start()]
        after = text[m.end() : m.end() + 2]
        if before.endswith(COMPARISON_BEFORE) or after.startswith(COMPARISON_AFTER):
            continue
        out.append((m.start(), m.end(), _value(m)))
    return out


def year_of_label(label: str) -> int | None:
    """A table header or row label that names a year ("2020年", "2021-2022学年")."""
    found = year_mentions(label)
    if found:
        return found[-1][2]
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", label)
    return int(m.group(1)) if m else None


def title_year(title: str, front_text: str = "") -> int | None:
    """The year a report is titled for: "(2023年度)", "（2023年）", "2023年度"."""
    for text in (title, front_text):
        m = re.search(r"[（(]\s*((?:19|20)\d\d)\s*年?度?\s*[)）]", text) or re.search(
            r"((?:19|20)\d\d)\s*年度", text
        )
        if m:
            return int(m.group(1))
    m = re.search(r"((?:19|20)\d\d)\s*年?", title)
    return int(m.group(1)) if m else None


def body_year(report_year: int | None, body_text: str) -> int | None:
    """The year the body describes: the title year, unless the body speaks mostly of the year before.

    Many reports are titled for the year they are published in and describe the year before
    (凉州区's 2023 report describes 2022).
    """
    counts = Counter(y for _, _, y in year_mentions(body_text))
    if report_year is None:
        return counts.most_common(1)[0][0] if counts else None
    if counts[report_year - 1] > counts[report_year] * 1.2 and counts[report_year - 1] >= 5:
        return report_year - 1
    return report_year
