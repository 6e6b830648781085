"""Extraction on differently produced versions of the gold reports (borderless and three-line tables,
other page sizes, margins, running headers and footers), scored the same way as the originals."""

import pytest
from conftest import GOLD
from variants import STYLES, render

from orchestration.extraction.evaluate import load_gold, score, totals
from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf

SEEDS = sorted((GOLD.parent / "seeds").glob("*.txt"))


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_other_layouts_meet_the_floor(style, tmp_path):
    scores = []
    for seed in SEEDS:
        pdf = render(seed.read_text(encoding="utf-8"), tmp_path / f"{seed.stem}.pdf", style)
        parsed = parse_pdf(pdf)
        assert not any(t.method == "ruled" for t in parsed.tables)  # only the layout-robust reader sees them
        scores.append(score(seed.stem, extract_report(parsed, pdf.name), load_gold(GOLD / f"{seed.stem}.csv")))
    recall, precision = totals(scores)
    assert recall >= 0.90, [(s.doc, s.recall) for s in scores]
    assert precision >= 0.97, [(s.doc, s.precision) for s in scores]
