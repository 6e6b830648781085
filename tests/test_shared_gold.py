"""Extraction scored on the shared gold sets beside the repo (../shared): the five samples and
real_dev, 15 texts from reports and news write-ups of other provinces, cities and schools."""

from __future__ import annotations

import pytest
from conftest import REPO

from orchestration.extraction.evaluate import evaluate_folder, totals

SHARED = REPO.parent / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "real_dev" / "gold").is_dir(), reason="../shared is not beside the repo")


def test_real_reports_by_other_writers():
    scores = evaluate_folder(SHARED / "real_dev" / "pdf", SHARED / "real_dev" / "gold")
    assert len(scores) == 15
    unrecognised = [s.doc for s in scores if any(m["cause"] == "document not recognised" for m in s.misses)]
    assert unrecognised == []
    recall, precision = totals(scores)
    assert recall >= 0.90 and precision >= 0.97, (recall, precision)


def test_samples_do_not_regress():
    scores = evaluate_folder(SHARED / "reports", SHARED / "spec" / "gold")
    recall, precision = totals(scores)
    assert recall >= 0.97 and precision >= 0.99, (recall, precision)
