"""Recognising a document: is it about 中职 quality, of which kind (a report, a news write-up of
one, a yearbook entry), whom it reports on, and for which years. Plain functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..reports.model import ParsedReport
from .catalog import load_catalog
from .levels import states_vocational_level, statistics_document
from .periods import report_years, written_year
from .subjects import UnknownSubject, document_subject, entity_in_text, real_entity, school_code

__all__ = ["NotAReport", "ReportMeta", "document_type", "entity_in_text", "report_meta"]

# The vocabulary of the domain: secondary vocational education and its schools.
DOMAIN = re.compile(r"中等职业|中等专业|中职|职业教育|职教|职业学校|职业技术|职业中学|职业高中|职业高级中学|技工学校|中专|职专")
# A figure with the unit of an indicator ("76570人", "53所", "96%", "39541万元", "15.8:1").
FIGURE = re.compile(r"\d[\d.,]*\s*(?:万|亿)?\s*(?:人|名|所|%|％|元|册|:|∶)")
# Indicators stated with figures that make a text a statement of 中职 quality (a report chapter).
MIN_INDICATORS = 3
# A news write-up: a dateline or source line, or a headline that announces a report or a figure.
NEWS_LINE = re.compile(r"^\s*(?:来源|来源于|记者|通讯员|编辑|责任编辑|更新时间)\s*[：:]", re.M)
NEWS_HEADLINE = re.compile(r"发布|出炉|公布|出台|显示|解读|达\s*\d|\d\s*(?:元|人|%|％)$|[？?！!]")
YEARBOOK_ENTRY = re.compile(r"^\s*【[^】]{2,30}】", re.M)
# Section numbering glued to the title when the first heading is set as large as the title.
TRAILING_HEADING = re.compile(
    r"(?<=[告）)年])\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部分]|\d{1,2}(?:\.\d{1,2})*\s*[.、．]|\d{1,2}\.\d{1,2})"
    r"\s*[\u4e00-\u9fff].*$"
)


@dataclass
class ReportMeta:
    title: str
    subject: str
    level: str
    admin_code: str
    report_year: int | None
    body_year: int | None
    # report (质量年度报告) | news (a write-up of one) | yearbook (年鉴 entry) | bulletin (统计公报 of all levels)
    document_type: str = "report"
    school_code: str = ""  # 学校标识码, when a school report prints it
    review_reason: str = ""  # why the subject is uncertain (an ambiguous place name); empty when sure
    written_year: int | None = None  # a dated document's year, which its 今年/去年 count from

    @property
    def settled(self) -> bool:
        """Whether the subject is a known school or division. When not, subject, level and code are
        empty, review_reason says why, and every fact waits for review (never a made-up entity)."""
        return bool(self.subject)


class NotAReport(Exception):
    pass


def report_meta(parsed: ParsedReport, file_name: str) -> ReportMeta:
    """Title, kind, subject entity, level and years of a document; NotAReport when it is not
    about 中职 quality (or about all China). A report whose subject cannot be settled is kept,
    unsettled, with a review_reason."""
    title = TRAILING_HEADING.sub("", parsed.title)
    front = parsed.front_text
    body = "\n".join(b.text for b in parsed.blocks)
    # Each table as one line: 中职 may be a row ("中等职业学校 | 57") or a column's header.
    table_lines = [" ".join([t.caption] + [" ".join(row) for row in t.rows]) for t in parsed.tables]
    kind = document_type(title, front, body, table_lines)
    if kind is None:
        raise NotAReport(
            f"{file_name}: this PDF is not a vocational-education quality report (no 质量…报告 title and no "
            "中职 figures on its pages); remove it from raw/ or check that the right file was sent."
        )
    report_year, body_year = report_years(title, front, body, yearbook=kind == "yearbook")
    written = written_year(title, front, body)
    try:
        subject = document_subject(title, front, body)
        if not real_entity(subject.entity):  # a phrase (其中公办学校) is never a subject
            raise UnknownSubject(f"«{subject.entity.name}» is neither a school's name nor a division")
    except UnknownSubject as exc:
        if exc.out_of_scope:
            raise NotAReport(f"{file_name}: {exc}; remove it from raw/.") from None
        return ReportMeta(title, "", "", "", report_year, body_year, kind, written_year=written,
                          review_reason=(
            f"subject not settled: no school or area the report is about can be told from its title "
            f"«{title[:60]}» or text ({exc}); its facts wait for review. Name the school or area on the "
            "cover, or add the school to dbt_project/seeds/school_aliases.csv."))
    entity = subject.entity
    return ReportMeta(title, entity.name, entity.level, entity.admin_code, report_year, body_year, kind,
                      school_code(front + "\n" + body[:5000]) if entity.level == "school" else "",
                      subject.review_reason, written)


def document_type(title: str, front: str, body: str, table_lines: list[str] = ()) -> str | None:
    """"report", "news", "yearbook" or "bulletin" for a document about 中职 quality; None for anything
    else. An education statistics document of all levels (教育事业发展统计公报, 教育统计年鉴) is one
    when it states a figure for 中职 as a level, in prose or as a table's row or column."""
    opening = title + "\n" + front
    # Of all levels: a title that names 中职 itself (江苏省中等职业教育概况) is a document of 中职 alone.
    statistics = statistics_document(title) if "教育" in title and not DOMAIN.search(title) else None
    if statistics and states_vocational_level(re.split(r"[。；;\n]", body[:20000]) + list(table_lines)):
        return statistics
    if not DOMAIN.search(opening + body[:3000]):
        return None
    report_title = "报告" in title and ("质量" in title or DOMAIN.search(title) is not None)
    if not all(w in opening for w in ("质量", "报告")) and _indicators_stated(body) < MIN_INDICATORS:
        return None
    if NEWS_HEADLINE.search(title):
        return "news"
    if report_title:
        return "report"
    if YEARBOOK_ENTRY.search(front + "\n" + body[:2000]):
        return "yearbook"
    if NEWS_LINE.search(front) or "报告" in body:
        return "news"
    return "report"


def _indicators_stated(body: str) -> int:
    """How many catalog indicators are stated with a figure in the same clause."""
    catalog = load_catalog()
    found: set[str] = set()
    for clause in re.split(r"[。；;！？\n]", body[:20000]):
        if FIGURE.search(clause):
            found.update(code for _, _, code in catalog.find_aliases(clause))
    return len(found)
