"""The learned scorer: the shipped model loads, keys the extraction cache, is what `make train`
makes, and `zhijiao extract --explain` shows its reading of each number."""

import os
import subprocess
import sys

import numpy as np
from conftest import REPO

from orchestration.extraction import learned
from orchestration.intake import outcomes

SAMPLE = REPO / "raw" / "001_cbbc57b736b8bf1c.pdf"


def _reload(monkeypatch, path):
    monkeypatch.setattr(learned, "MODEL_PATH", path)
    learned.load_scorer.cache_clear()
    outcomes.extraction_version.cache_clear()


def test_the_shipped_model_loads_and_its_version_keys_the_extraction_cache(monkeypatch, tmp_path):
    scorer = learned.load_scorer()
    assert scorer is not None and {"none", "students_total", "employment_rate"} <= set(scorer.classes)
    assert scorer.weights.shape == (len(scorer.columns), len(scorer.classes))
    shipped_key = outcomes.extraction_version()
    changed = learned.read_scorer(learned.MODEL_PATH)
    changed.weights = changed.weights.copy()
    changed.weights[0, 0] += 1.0
    changed.save(tmp_path / "scorer.npz")
    _reload(monkeypatch, tmp_path / "scorer.npz")
    try:
        assert learned.model_version() != scorer.version
        assert outcomes.extraction_version() != shipped_key
    finally:
        monkeypatch.undo()
        learned.load_scorer.cache_clear()
        outcomes.extraction_version.cache_clear()


def test_make_train_reproduces_the_shipped_model(tmp_path):
    out = tmp_path / "scorer.npz"
    done = subprocess.run([sys.executable, str(REPO / "tools" / "train_scorer.py"), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    with np.load(learned.MODEL_PATH) as shipped, np.load(out) as trained:
        assert shipped.files == trained.files
        for key in shipped.files:
            assert np.array_equal(shipped[key], trained[key]), key


def test_explain_shows_the_models_reading_its_top_features_and_the_runner_up():
    from orchestration.extraction.explain import explanation_rows
    from orchestration.extraction.extract import read_report

    rows = explanation_rows(*read_report(SAMPLE))
    students = next(r for r in rows if r[1] == "4.51万人")
    assert students[3].startswith("students_total 2023 = 45100")
    assert students[6].startswith("students_total p=") and "[" in students[6] and "+" in students[6]
    assert any(r[4] and "p=" in r[4] for r in rows)  # a runner-up with its probability
    shown = subprocess.run([str(REPO / ".venv" / "bin" / "zhijiao"), "extract", str(SAMPLE), "--explain"],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"}, timeout=300)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "runner-up" in shown.stdout and "model" in shown.stdout and "learned scorer" in shown.stdout
