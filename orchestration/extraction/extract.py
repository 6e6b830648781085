"""One parsed report → its facts. Plain functions; Dagster and the CLI both call `extract_report`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..reports.model import ParsedReport
from .catalog import Catalog, load_catalog
from .confidence import assess
from .entities import Entity, resolve_title
from .periods import body_year, title_year
from .fact import Fact
from .candidates import prose_candidates
from .context import ReportContext
from .prose_rules import ProseExtractor
from .scoring import score_unclaimed
from .table_rules import TableExtractor

FACT_COLUMNS = [
    "source_file", "page", "entity", "entity_level", "admin_code", "period_year",
    "indicator", "value", "unit", "snippet", "method", "confidence", "confidence_reason",
]
QUALITY_WORDS = ("质量", "报告")


@dataclass
class ReportMeta:
    title: str
    subject: str
    level: str
    admin_code: str
    report_year: int | None
    body_year: int | None
    document_type: str = "report"  # report (质量年度报告) | news (a write-up of one) | yearbook (年鉴 entry)
    school_code: str = ""  # 学校标识码, when a school report prints it
    review_reason: str = ""  # why the subject is uncertain (an ambiguous place name); empty when sure

    def as_dict(self) -> dict:
        return asdict(self)


class NotAReport(Exception):
    pass


def report_meta(parsed: ParsedReport, file_name: str) -> ReportMeta:
    """Title, subject entity, level and years of a report; NotAReport when it is not a quality report."""
    title = parsed.title
    front = parsed.front_text
    if not all(w in title + front[:600] for w in QUALITY_WORDS):
        raise NotAReport(
            f"{file_name}: this PDF is not a vocational-education quality report (no 质量…报告 title on "
            "its first pages); remove it from raw/ or check that the right file was sent."
        )
    entity = resolve_title(title, front)
    if entity is None:
        raise NotAReport(
            f"{file_name}: cannot tell which school or area the report is about from its title "
            f"«{title[:60]}»; check the cover page, or add the school to dbt_project/seeds/school_aliases.csv."
        )
    year = title_year(title, front)
    body = body_year(year, "\n".join(b.text for b in parsed.blocks))
    return ReportMeta(title, entity.name, entity.level, entity.admin_code, year, body)


def extract_report(parsed: ParsedReport, source_file: str, catalog: Catalog | None = None,
                   meta: ReportMeta | None = None, include_components: bool = False) -> list[Fact]:
    """The report's facts. Components (parts and shares that only feed consistency checks) are
    left out unless asked for."""
    catalog = catalog or load_catalog()
    meta = meta or report_meta(parsed, source_file)
    ctx = ReportContext(
        source_file=source_file,
        sha256=parsed.sha256,
        entity=Entity(meta.subject, meta.level, meta.admin_code),
        body_year=meta.body_year or meta.report_year or 0,
        catalog=catalog,
    )
    ProseExtractor(ctx).run(parsed.blocks)
    TableExtractor(ctx).run(parsed.tables)
    score_unclaimed(ctx, prose_candidates(parsed.blocks, ctx.entity, ctx.body_year))
    facts = assess(dedupe(ctx.facts), catalog)
    return facts if include_components else [f for f in facts if catalog[f.indicator].published]


def dedupe(facts: list[Fact]) -> list[Fact]:
    """One row per entity/year/indicator/value within a report; differing values are all kept."""
    seen, out = set(), []
    for fact in sorted(facts, key=lambda f: (f.method != "prose", f.page)):
        key = (fact.entity, fact.period_year, fact.indicator, round(fact.value, 6))
        if key in seen:
            continue
        seen.add(key)
        out.append(fact)
    return sorted(out, key=lambda f: (f.page, f.method, f.indicator))


def extract_files(paths: list[Path]) -> list[Fact]:
    from ..reports.pdf import parse_pdf

    facts: list[Fact] = []
    for path in paths:
        facts.extend(extract_report(parse_pdf(path), Path(path).name))
    return facts
