"""Period years: the calendar year a number refers to (FACTS.md), not the report's title year."""

from __future__ import annotations

import re
from collections import Counter

# 2022-2023学年 → 2023 (end year); 2023年秋季学期 → 2023; 2022届 → 2022; 2023年 → 2023.
# 2018年9月—2019年8月 (and its typo 20189月—20198月), 2023年9月1日至2024年8月31日 and
# 2023.9.1—2024.8.31 → the end year; a single 2022学年 starts in autumn 2022, so it is 2023 (FACTS.md).
_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
# What follows a year in a date to the month or the day: 年9月, 年9月1日, .9.1, -09-01.
_DATE_REST = rf"\s*(?:年?\s*{_MONTH}\s*月份?(?:\s*{_DAY}\s*[日号])?|[./]{_MONTH}(?:[./]{_DAY})?|-{_MONTH}-{_DAY})"
_SPAN = r"\s*[-—–~至到]+\s*"
YEAR_EXPR = re.compile(
    rf"(?P<mstart>{_YEAR}){_DATE_REST}{_SPAN}(?P<mend>{_YEAR}){_DATE_REST}"
    rf"|(?P<start>{_YEAR})\s*(?:年)?\s*[-—–~至]+\s*(?P<end>(?:19|20)?\d\d)(?!\d)\s*学?年度?"
    rf"|(?P<year>{_YEAR})\s*(?P<suffix>学年度|学年|年度|年|届)"
)
# Years named relative to the one the body describes (or to a dated document's date, see
# written_year); 比去年 is a comparison, not a period.
RELATIVE_YEAR = re.compile(r"(?P<this>今年|本年度?|当年|本学年|本届)|(?P<last>上一?年度?|去年|上一?学年|前一年)")
# A date a count stands at ("截至2018年4月2日，学校…", "截止2022年底"): that year is the period.
_AS_OF_REST = rf"(?:{_MONTH}\s*月(?:\s*{_DAY}\s*[日号])?|年?底|年?末)"
AS_OF = re.compile(rf"(?:截至|截止)(?:到|至)?\s*(?P<year>{_YEAR})\s*年\s*{_AS_OF_REST}")
# A year after these words is a comparison base, not the period ("比2022年减少").
COMPARISON_BEFORE = ("比", "较", "与", "同", "自", "从", "截至", "于", "对比")
COMPARISON_AFTER = ("相比", "同期", "以来", "起", "底")
# Years that name a document rather than the data: 《2023年…统计调查》, "质量2023年度报告", "报告（2025年度）".
DOCUMENT_NAME = re.compile(r"《[^》]{0,60}》|(?:19|20)\d\d\s*年?度?[^，。；：\n]{0,20}?报告|报告\s*[（(]\s*(?:19|20)\d\d\s*年?度?\s*[)）]")
# Outside the title, a year counts only as the year of a report: a cover line "（2023年度）",
# "质量2023年度报告", "报告（2024年度）".
NAMED_REPORT_YEAR = re.compile(
    r"^\s*[（(]\s*((?:19|20)\d\d)\s*年?度?\s*[)）]\s*$|((?:19|20)\d\d)\s*年?度?[^，。；：\n]{0,20}?报告"
    r"|报告\s*[（(]\s*((?:19|20)\d\d)",
    re.M,
)
CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
# The issuing date: "发布日期：2025-02-27", "2020-06-16", a cover line "（2018年2月）" or "二○二五年二月".
ISSUE_DATE = re.compile(
    r"((?:19|20)\d\d)\s*-\s*\d{1,2}\s*-\s*\d{1,2}"
    r"|^\s*[（(]?\s*((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?\s*[)）]?\s*$"
    r"|^\s*([〇○零ＯO一二][〇○零ＯO一二三四五六七八九]{3})\s*年\s*[一二三四五六七八九十]{1,2}\s*月",
    re.M,
)


def _value(m: re.Match) -> int:
    if m.group("mend"):
        return int(m.group("mend"))
    if m.group("suffix") in ("学年", "学年度"):
        return int(m.group("year")) + 1
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


def period_mentions(text: str, body_year: int, written: int | None = None) -> list[tuple[int, int, int]]:
    """Year expressions, dates a count stands at, and relative years (今年, 上一学年) of a text, in
    order; 今年 and 去年 count from the year a dated document was written when given, else from the
    body's year, and 当年 is the year named last before it."""
    as_of = [(m.start(), m.end(), int(m.group("year"))) for m in AS_OF.finditer(text)]
    named = sorted(as_of + [y for y in year_mentions(text) if not any(a <= y[0] < b for a, b, _ in as_of)])
    out = list(named)
    now = written or body_year
    for m in RELATIVE_YEAR.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in COMPARISON_BEFORE or text[m.end() : m.end() + 2].startswith(COMPARISON_AFTER):
            continue
        if m.group(0) == "当年":  # "that year": the year last named ("截至2020年底…当年招生"), not the writer's
            before = [y for start, _, y in named if start < m.start()]
            out.append((m.start(), m.end(), before[-1] if before else body_year))
            continue
        out.append((m.start(), m.end(), now if m.group("this") else now - 1))
    return sorted(out)


def year_of_label(label: str) -> int | None:
    """A table header or row label that names a year ("2020年", "2021-2022学年")."""
    found = year_mentions(label)
    if found:
        return found[-1][2]
    # A bare year or school-year span ("2017", "2022—2023") in a label is a period.
    m = re.fullmatch(r"\s*(?:(?:19|20)\d\d\s*[-—–~至]\s*)?((?:19|20)\d\d)\s*", label)
    return int(m.group(1)) if m else None


def caption_year(caption: str) -> int | None:
    """The one period a table caption names ("表2 2022年各校基本情况", "2023届毕业生去向"); a span of
    several years ("2021—2023年") names no single one."""
    found = {y for _, _, y in year_mentions(DOCUMENT_NAME.sub("", caption))}
    if len(found) != 1 or re.search(r"(?:19|20)\d\d\s*年?\s*[-—–~至]\s*(?:19|20)?\d\d\s*年(?!度)", caption):
        return None
    return found.pop()


def title_year(title: str, front_text: str = "") -> int | None:
    """The year a report is titled for: "(2023年度)", "（2015—2018年）", "2023年度", "质量2023年度报告"."""
    m = re.search(r"[（(]\s*((?:19|20)\d\d)\s*年?度?\s*[)）]", title) or re.search(r"((?:19|20)\d\d)\s*年度", title)
    if m:
        return int(m.group(1))
    found = year_mentions(title)
    if found:
        return found[0][2]
    m = NAMED_REPORT_YEAR.search(front_text)
    return int(m.group(1) or m.group(2) or m.group(3)) if m else None


def issue_year(front_text: str) -> int | None:
    """The year the report was issued, from its date line."""
    m = ISSUE_DATE.search(front_text)
    if not m:
        return None
    digits = m.group(1) or m.group(2) or "".join(CHINESE_DIGITS.get(c, c) for c in m.group(3))
    return int(digits)


# The report saying which year it describes: "反映的是2016年全区…", "数据统计时段为2023年…",
# "数据统计时段为2023年9月1日至2024年8月31日" (the period is read by YEAR_EXPR right after).
DESCRIBED_YEAR = re.compile(
    r"(?:反映(?:的是|了)?|数据(?:统计)?(?:时段|时间|期间|年度)?(?:为|是)|统计(?:时段|时间|年度)为)\s*(?=(?:19|20)\d\d)")
# A date ("2017年3月") not a span's end, nor its start ("2023年9月1日至…").
DATE = re.compile(rf"(?<![-—–~至到])(?<![-—–~至到]\s){_YEAR}\s*年\s*{_MONTH}\s*月"
                  rf"(?!\s*(?:{_DAY}\s*[日号])?\s*[-—–~至到])")


def body_year(report_year: int | None, body_text: str, issued: bool = False) -> int | None:
    """The year the body describes: the title year, unless the body speaks mostly of the year before.

    Many reports are titled for the year they are published in and describe the year before
    (凉州区's 2023 report describes 2022); some say so ("反映的是2016年…"). A year known only from
    the issuing date (`issued`) gives the body's most named year up to it, else the year before it.
    """
    text = DOCUMENT_NAME.sub("", body_text)
    stated = DESCRIBED_YEAR.search(text)
    period = stated and YEAR_EXPR.match(text, stated.end())
    if period:
        return _value(period)
    # A date ("2017年3月", a sign-off) says when something happened or was written, not a period.
    counts = Counter(y for _, _, y in year_mentions(DATE.sub("", text)))
    if report_year is None:
        return counts.most_common(1)[0][0] if counts else None
    if issued:
        earlier = Counter({y: n for y, n in counts.items() if y <= report_year})
        return max(earlier, key=lambda y: (earlier[y], y)) if earlier else report_year - 1
    prev, own = counts[report_year - 1], counts[report_year]
    if prev > own * 1.2 and (prev >= 5 or own == 0 and prev >= 1):
        return report_year - 1
    return report_year


def report_years(title: str, front_text: str, body_text: str, yearbook: bool = False) -> tuple[int | None, int | None]:
    """(report year, body year): the title's year, else the year of the report a write-up names,
    else the issuing date's. A yearbook (年鉴) of a year records the year before, unless its
    entries speak more of the title year."""
    year = title_year(title, front_text + "\n" + body_text[:3000])
    if year and yearbook:
        counts = Counter(y for _, _, y in year_mentions(DOCUMENT_NAME.sub("", body_text)))
        return year, year - 1 if counts[year - 1] >= counts[year] else year
    if year:
        return year, body_year(year, body_text)
    issued = issue_year(front_text)
    return issued, body_year(issued, body_text, issued=issued is not None)


def written_year(title: str, front_text: str, body_text: str) -> int | None:
    """The year a dated document was written, which its 今年 and 去年 count from: the issuing date of
    one whose title names no year (a county news item dated 2020-01-16 saying 去年 means 2019).
    None when the title, or the report a write-up names, gives the year: there 今年 is that year."""
    if title_year(title, front_text + "\n" + body_text[:3000]):
        return None
    return issue_year(front_text)
