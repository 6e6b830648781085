"""What the learned scorer costs: the repository's report PDFs parsed, then extracted in one process
with the shipped model and with the term scorer it replaced, and the model's time per number.

    .venv/bin/python bench/scorer.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from orchestration.extraction import learned  # noqa: E402
from orchestration.extraction.documents import NotAReport, report_meta  # noqa: E402
from orchestration.extraction.extract import facts_from, gather_evidence  # noqa: E402
from orchestration.reports.pdf import ReportError, parse_pdf  # noqa: E402


def main() -> int:
    paths = sorted(p for p in REPO.rglob("*.pdf") if ".venv" not in p.parts and "warehouse" not in p.parts)
    scorer = learned.load_scorer()
    parsed, parse_s = [], 0.0
    for path in paths:
        started = time.perf_counter()
        try:
            report = parse_pdf(path)
            parsed.append((path.name, report, report_meta(report, path.name)))
        except (ReportError, NotAReport):
            pass
        parse_s += time.perf_counter() - started
    timings = {}
    for label, model in (("model", scorer), ("terms", None)):
        started = time.perf_counter()
        for name, report, meta in parsed:
            # extract_report's own path, but with scorer None really meaning the term scorer
            facts_from(gather_evidence(report, name, meta=meta, every_number=False), report, model)
        timings[label] = time.perf_counter() - started
    evidence = [gather_evidence(report, name, meta=meta) for name, report, meta in parsed]
    numbers = sum(len(item.candidates) for item in evidence)
    started = time.perf_counter()
    for item in evidence:
        for candidate, names, allowed in zip(item.candidates, item.names, item.allowed):
            learned.decide(scorer, candidate, names, allowed)
    per_number_us = (time.perf_counter() - started) / max(numbers, 1) * 1e6
    result = {"reports": len(parsed), "numbers": numbers, "parse_s": round(parse_s, 2),
              "extract_with_model_s": round(timings["model"], 2),
              "extract_with_terms_s": round(timings["terms"], 2),
              "model_us_per_number": round(per_number_us, 1),
              "parse_stage_change": round((parse_s + timings["model"]) / (parse_s + timings["terms"]) - 1, 3)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
