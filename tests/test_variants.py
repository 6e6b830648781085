"""Extraction on differently produced versions of the gold reports (borderless and three-line tables,
other page sizes, margins, running headers and footers), scored the same way as the originals:
the samples, the real_dev texts of other writers when ../shared is beside the repo, and
tests/written: reports written for this project by someone who had not read the rules (other
provinces, a yearbook, news write-ups, key-value and multi-year tables), with their gold."""

import pytest
from conftest import GOLD, REPO
from variants import STYLES, render

from orchestration.extraction.evaluate import load_gold, score, totals
from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf

REAL_DEV = REPO.parent / "shared" / "real_dev"
WRITTEN = REPO / "tests" / "written"  # 12 reports written for this project in other writers' styles
SETS = {
    "samples": (GOLD.parent / "seeds", GOLD, 0.90, 0.97),
    "real_dev": (REAL_DEV / "txt", REAL_DEV / "gold", 0.93, 0.97),
    "written": (WRITTEN / "txt", WRITTEN / "gold", 0.93, 0.97),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
@pytest.mark.parametrize("corpus", SETS)
def test_other_layouts_meet_the_floor(corpus, style, tmp_path):
    texts, gold, recall_floor, precision_floor = SETS[corpus]
    if not gold.is_dir():
        pytest.skip(f"{gold} is not there")
    scores = []
    for gold_file in sorted(gold.glob("*.csv")):
        pdf = render((texts / f"{gold_file.stem}.txt").read_text(encoding="utf-8"), tmp_path / f"{gold_file.stem}.pdf", style)
        parsed = parse_pdf(pdf)
        assert not any(t.method == "ruled" for t in parsed.tables)  # only the layout-robust reader sees them
        scores.append(score(gold_file.stem, extract_report(parsed, pdf.name), load_gold(gold_file)))
    recall, precision = totals(scores)
    assert recall >= recall_floor, [(s.doc, s.recall) for s in scores]
    assert precision >= precision_floor, [(s.doc, s.precision) for s in scores]
