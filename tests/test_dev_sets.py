"""Extraction on the blind development sets (tests/dev_sets): real parser, real PDFs, gold facts."""

from pathlib import Path

import pytest

from orchestration.extraction.evaluate import evaluate_folder, totals

DEV_SETS = Path(__file__).parent / "dev_sets"
# Floors a little under each set's figure now (README.md there).
FLOORS = {"prose": (0.95, 0.98), "tables": (0.95, 0.98), "round2": (0.95, 0.98), "round3": (0.95, 0.98),
          "round4": (0.93, 0.98), "round5": (0.90, 0.97), "round6": (0.64, 0.95),
          "round7": (0.60, 0.70), "round8": (0.90, 0.95), "round9c": (0.95, 0.95),
          "round10a": (0.50, 0.75), "round10b": (0.90, 0.95), "round11": (0.75, 0.95),
          "round12": (0.88, 0.95)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_blind_development_set_meets_its_floor(name):
    recall_floor, precision_floor = FLOORS[name]
    scores = evaluate_folder(DEV_SETS / name / "pdf", DEV_SETS / name / "gold")
    recall, precision = totals(scores)
    assert recall >= recall_floor and precision >= precision_floor, \
        [(s.doc, round(s.recall, 2), round(s.precision, 2)) for s in scores]
