"""One parsed report → its facts. Plain functions; Dagster and the CLI both call `extract_report`."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

from ..reports.model import ParsedReport
from .catalog import Catalog, load_catalog
from .confidence import REVIEW_CONFIDENCE, assess
from .documents import ReportMeta, report_meta
from .entities import Entity
from .fact import Fact
from . import learned
from .candidates import Candidate, prose_candidates
from .context import ReportContext
from .prose_rules import ProseExtractor
from .scope import walk
from .scoring import decide as decide_by_terms, possible_values, rank
from .subjects import entity_in_text, row_entity
from .table_rules import TableExtractor

FACT_COLUMNS = [
    "source_file", "page", "entity", "entity_level", "admin_code", "period_year",
    "indicator", "value", "unit", "snippet", "method", "confidence", "confidence_reason",
]


def read_report(path, max_pages: int = 400) -> tuple[ParsedReport, ReportMeta, list[Fact]]:
    """A PDF parsed, recognised and its facts extracted (ReportError or NotAReport when it cannot be)."""
    from pathlib import Path

    from ..reports.pdf import parse_pdf

    path = Path(path)
    parsed = parse_pdf(path, max_pages=max_pages)
    meta = report_meta(parsed, path.name)
    return parsed, meta, extract_report(parsed, path.name, meta=meta)


@dataclass
class Evidence:
    """A report read by the rules, with every prose number and what the learned scorer sees of it."""

    ctx: ReportContext
    meta: ReportMeta
    candidates: list[Candidate]
    names: list[list[str]]  # each candidate's features
    allowed: list[dict[str, float]]  # each candidate's possible indicators, with its value in their unit


def gather_evidence(parsed: ParsedReport, source_file: str, catalog: Catalog | None = None,
                    meta: ReportMeta | None = None, every_number: bool = True) -> Evidence:
    """The rules' reading and each prose number's features; with `every_number` False only the
    numbers the scorer decides (no rule read them, nothing blocks them and some indicator's unit
    fits them) get features."""
    catalog = catalog or load_catalog()
    meta = meta or report_meta(parsed, source_file)
    ctx = ReportContext(
        source_file=source_file,
        sha256=parsed.sha256,
        entity=Entity(meta.subject, meta.level, meta.admin_code),
        body_year=meta.body_year or meta.report_year or 0,
        catalog=catalog,
        written_year=meta.written_year,
        # Per report, since the rules and the candidates ask it of the same clauses.
        entity_of=lru_cache(maxsize=None)(lambda text: _place_in_text(text, meta)),
        row_entity_of=lambda label: row_entity(label, meta),
    )
    walked = walk(parsed.blocks, ctx.entity, ctx.body_year, ctx.entity_of, ctx.written_year)
    ProseExtractor(ctx).run(parsed.blocks, walked)
    TableExtractor(ctx).run(parsed.tables)
    candidates = prose_candidates(parsed.blocks, ctx.entity, ctx.body_year, walked)
    headings = _headings(parsed)
    names, allowed = [], []
    for candidate in candidates:
        position = (candidate.block_index, candidate.position)
        settled = position in ctx.claimed or candidate.blocked
        values = {} if settled and not every_number else possible_values(candidate, catalog)
        # Settled, or no indicator's unit fits it (it can only be none): nothing for a scorer to decide.
        if not every_number and not values:
            names.append([])
            allowed.append({})
            continue
        names.append(learned.features(candidate, ctx.entity, ctx.body_year, headings[candidate.block_index],
                                      ctx.read_at.get(position, []), rank(candidate, catalog, values)))
        allowed.append(values)
    return Evidence(ctx, meta, candidates, names, allowed)


def extract_report(parsed: ParsedReport, source_file: str, catalog: Catalog | None = None,
                   meta: ReportMeta | None = None, include_components: bool = False,
                   scorer: learned.Scorer | None = None, decisions: list | None = None) -> list[Fact]:
    """The report's facts. Components (parts and shares that only feed consistency checks) are
    left out unless asked for. `decisions`, when given, receives the learned scorer's reading of
    every prose number (for --explain)."""
    evidence = gather_evidence(parsed, source_file, catalog, meta, every_number=decisions is not None)
    return facts_from(evidence, parsed, scorer or learned.load_scorer(), include_components, decisions)


def facts_from(evidence: Evidence, parsed: ParsedReport, scorer: learned.Scorer | None,
               include_components: bool = False, decisions: list | None = None) -> list[Fact]:
    """The rules' facts and the scorer's readings of the numbers they left, assessed."""
    ctx, meta = evidence.ctx, evidence.meta
    facts = [copy.copy(f) for f in ctx.facts]
    for candidate, names, allowed in zip(evidence.candidates, evidence.names, evidence.allowed):
        settled = (candidate.block_index, candidate.position) in ctx.claimed or candidate.blocked
        if (settled or not allowed) and decisions is None:
            continue
        reading = _reading(candidate, names, allowed, scorer, ctx.catalog, decisions)
        if reading is None or settled:
            continue
        code, value, confidence, note, rule = reading
        if candidate.subset:
            note = f"subset scope «{candidate.subset}»; {note}"
        before = len(ctx.facts)
        ctx.add(candidate.entity, candidate.page, candidate.year, ctx.catalog[code], value, candidate.snippet,
                "prose", rule, candidate.quantity, note=note)
        if len(ctx.facts) > before:  # ctx.facts stays the rules' own, for the next measure
            fact = ctx.facts.pop()
            fact.confidence = confidence
            facts.append(fact)
    facts = _mark_read_by_ocr(assess(dedupe(facts), ctx.catalog), parsed)
    if not meta.settled:
        _hold_for_review(facts, meta)
    return facts if include_components else [f for f in facts if ctx.catalog[f.indicator].published]


def _reading(candidate: Candidate, names: list[str], allowed: dict[str, float], scorer: learned.Scorer | None,
             catalog: Catalog, decisions: list | None) -> tuple | None:
    """(indicator, value, confidence, why, rule) for a number no rule read: the learned scorer's
    pick, or the term scorer's where no model is shipped; None when neither names one."""
    if scorer is None:
        best, _, confidence, why = decide_by_terms(candidate, catalog)
        return (best.indicator, best.value, confidence, why, "prose.scored") if best else None
    decision = learned.decide(scorer, candidate, names, allowed)
    if decisions is not None:
        decisions.append(decision)
    if decision.indicator == learned.NONE or decision.probability < learned.PROPOSE_FLOOR:
        return None
    why = (f"model p={decision.probability:.2f}; "
           f"runner-up {decision.runner_up} {decision.runner_up_probability:.2f}")
    confidence = min(round(decision.probability, 2), 0.99)
    if confidence < learned.FLOW_PROBABILITY:
        confidence = min(confidence, REVIEW_CONFIDENCE)
    return decision.indicator, decision.value, confidence, why, "prose.learned"


def _headings(parsed: ParsedReport) -> list[str]:
    """The heading each block sits under."""
    out, heading = [], ""
    for block in parsed.blocks:
        if block.kind == "heading":
            heading = block.text
        out.append(heading)
    return out


def _mark_read_by_ocr(facts: list[Fact], parsed: ParsedReport) -> list[Fact]:
    """Facts read off a picture say so (prose_ocr, table_ocr), and are only as sure as the OCR was."""
    if not parsed.ocr_pages:
        return facts
    table_scores: dict[int, float] = {}
    for table in (t for t in parsed.tables if t.method == "ocr"):
        table_scores[table.page] = min(table_scores.get(table.page, 1.0), table.ocr_score or 1.0)
    for fact in facts:
        if fact.rule == "table.ocr":
            score, fact.method = table_scores.get(fact.page, 1.0), "table_ocr"
        elif fact.method == "prose" and (score := parsed.ocr_prose_score(fact.page)) is not None:
            fact.method = "prose_ocr"
        else:
            continue
        fact.confidence = round(fact.confidence * score, 2)
        fact.confidence_reason += f"; read by OCR (score {score:.2f})"
    return facts


def _hold_for_review(facts: list[Fact], meta: ReportMeta) -> None:
    """A report whose subject is not settled has no entity to state its figures of: every fact,
    even one naming another place or school (resolved without the report's area), waits for review."""
    for fact in facts:
        fact.confidence = min(fact.confidence, REVIEW_CONFIDENCE)
        fact.confidence_reason += f"; {meta.review_reason}"


def _place_in_text(text: str, meta: ReportMeta) -> Entity | None:
    """Another area a clause is about; schools switch only at a sentence's start (scope.sentences),
    since inside a sentence "合肥市中专学校" is the area's schools, not one school."""
    entity = entity_in_text(text, meta)
    return entity if entity is not None and entity.level != "school" else None


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
