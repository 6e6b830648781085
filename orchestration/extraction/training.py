"""Training the learned scorer: each prose number labelled from the gold facts, a logistic model
fitted with scikit-learn (imported here only), and leave-one-set-out measurement."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..reports.text import squeezed
from . import learned
from .evaluate import Score, score
from .extract import Evidence, facts_from

REGULARISATION = 0.5  # scikit-learn's C; chosen by the leave-one-set-out mean
SNIPPET_REACH = 3  # characters of the gold snippet before the number that must match the candidate's


@dataclass
class LabelledReport:
    """One report of a training set: its evidence, its gold rows, and its parse (for OCR marks)."""

    set_name: str
    doc: str
    evidence: Evidence
    parsed: object
    gold: list[dict]
    recognised: bool = True


def _same_statement(candidate_snippet: str, gold_snippet: str, printed: str) -> bool:
    """Whether a gold snippet is about this very number: it holds the number as printed, with the
    characters just before it as in the candidate's own snippet."""
    gold, own = squeezed(gold_snippet), squeezed(candidate_snippet)
    at = gold.find(printed)
    return at >= 0 and gold[max(0, at - SNIPPET_REACH) : at + len(printed)] in own


def labels(evidence: Evidence, gold: list[dict]) -> list[str]:
    """Each candidate's indicator by the gold, or none."""
    out = []
    for candidate, allowed in zip(evidence.candidates, evidence.allowed):
        printed = squeezed(candidate.quantity.printed)
        match = next((row["indicator"] for row in gold
                      if row["indicator"] in allowed
                      and round(allowed[row["indicator"]], 3) == round(float(row["value"]), 3)
                      and _same_statement(candidate.snippet, row["snippet"], printed)), learned.NONE)
        out.append(match)
    return out


def unread(names: list[str]) -> list[str]:
    """A candidate's features without the rules' readings."""
    return [n for n in names if not n.startswith(learned.RULE_FEATURES)] + ["unread"]


def fit(reports: list[LabelledReport], regularisation: float = REGULARISATION,
        augment: bool = True) -> learned.Scorer:
    """A scorer trained on the reports' labelled candidates."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, ys = [], []
    for report in reports:
        for names, label in zip(report.evidence.names, labels(report.evidence, report.gold)):
            rows.append(learned.hashed(names))
            ys.append(label)
            if augment and "unread" not in names:  # as if no rule had read it: what the text says
                rows.append(learned.hashed(unread(names)))
                ys.append(label)
    columns = np.unique(np.concatenate(rows)) if rows else np.zeros(0, dtype=np.int64)
    indices = np.concatenate([np.searchsorted(columns, r) for r in rows])
    indptr = np.cumsum([0] + [len(r) for r in rows])
    matrix = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(columns)))
    model = LogisticRegression(C=regularisation, max_iter=2000, tol=1e-4)
    model.fit(matrix, ys)
    coef, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
        coef, bias = np.vstack([-coef[0], coef[0]]), np.array([-bias[0], bias[0]])
    return learned.Scorer([str(c) for c in model.classes_], columns, coef.T.astype(np.float32),
                          bias.astype(np.float32))


def measure(reports: list[LabelledReport], scorer: learned.Scorer | None) -> list[Score]:
    return [score(r.doc, facts_from(r.evidence, r.parsed, scorer) if r.recognised else [], r.gold,
                  r.recognised) for r in reports]


def leave_one_set_out(reports: list[LabelledReport], regularisation: float = REGULARISATION
                      ) -> dict[str, tuple[list[Score], list[Score]]]:
    """For each set: its scores with a model trained on every other set, and with the rules alone."""
    out = {}
    for name in sorted({r.set_name for r in reports}):
        held = [r for r in reports if r.set_name == name]
        scorer = fit([r for r in reports if r.set_name != name], regularisation)
        out[name] = (measure(held, scorer), measure(held, None))
    return out
