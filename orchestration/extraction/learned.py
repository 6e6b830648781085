"""Which indicator a prose number is, learned from the repository's gold facts.

Every number in the prose is a candidate. A multinomial logistic model over hashed features (the
characters before and after the number, its unit and magnitude, the section heading, scope and
period words, and the readings of the hand rules and the term scorer as evidence) gives each
candidate a probability per indicator and for "none". Trained by `make train`
(tools/train_scorer.py, scikit-learn); applied here with numpy alone, so a worker only loads the
weights. The rules stay: a number they read keeps their reading; the model reads the numbers they
leave, with its calibrated probability as the fact's confidence.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .candidates import Candidate
from .entities import Entity
from .fact import Fact
from .scoring import Assignment

MODEL_PATH = Path(__file__).parent / "model" / "scorer.npz"
FEATURE_BITS = 20
NONE = "none"
NGRAMS = (1, 2, 3)
TERM_END = 4  # the characters right before a number: the term that names it
# A reading below this is not worth a steward's time; one at or above min_confidence flows.
PROPOSE_FLOOR = 0.3
# A number no rule read flows on the model's word alone only when it is this sure: on the sets the
# rules were not tuned on, rescues below it were mostly wrong (leave one set out).
FLOW_PROBABILITY = 0.8
RULE_FEATURES = ("rule:", "read:", "read_rule:")
_ROW_CACHE_SIZE = 1 << 20  # names; a worker's whole run of reports fits


def _grams(tag: str, text: str, sizes=NGRAMS) -> list[str]:
    return [f"{tag}{n}:{text[i : i + n]}" for n in sizes for i in range(len(text) - n + 1)]


def _magnitude(number: float) -> int:
    return int(math.floor(math.log10(abs(number)))) if number else -9


def features(candidate: Candidate, subject: Entity, body_year: int, heading: str,
             readings: list[Fact], ranked: list[Assignment]) -> list[str]:
    """The evidence about one number, as strings to hash."""
    q = candidate.quantity
    before, after = candidate.before, candidate.after
    unit = q.unit or "bare"
    out = [f"u:{unit}", f"mu:{unit}:{_magnitude(q.number)}", f"lvl:{candidate.entity.level}"]
    out += _grams("b", before) + _grams("e", before[-TERM_END:]) + _grams("a", after[:8])
    out += [f"e_end:{before[-2:]}", f"a_start:{after[:2]}"]
    out += _grams("h", heading[:16], (2,))
    out.append(f"yr:{max(-3, min(2, candidate.year - body_year)) if candidate.year and body_year else 'na'}")
    if q.approximate:
        out.append("approximate")
    if candidate.entity.name != subject.name:
        out.append("other_entity")
    if candidate.subset:
        out.append("subset")
    if candidate.blocked:
        out.append(f"blocked:{candidate.blocked.split(' (')[0][:12]}")
    for fact in readings:
        out += [f"rule:{fact.rule}", f"read:{fact.indicator}", f"read_rule:{fact.indicator}|{fact.rule}"]
    if not readings:
        out.append("unread")
    for place, assignment in enumerate(ranked[:2]):
        out += [f"rank{place}:{assignment.indicator}",
                f"rank{place}_s:{assignment.indicator}:{min(round(assignment.score, 1), 1.2)}"]
    return out


def hashed(names: list[str]) -> np.ndarray:
    mask = (1 << FEATURE_BITS) - 1
    return np.fromiter((zlib.crc32(name.encode("utf-8")) & mask for name in names), dtype=np.int64,
                       count=len(names))


@dataclass
class Scorer:
    classes: list[str]
    columns: np.ndarray  # sorted feature ids the model has weights for
    weights: np.ndarray  # len(columns) × len(classes)
    bias: np.ndarray
    version: str = ""
    _row_of: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def _rows(self, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        ids = hashed(names)
        at = np.searchsorted(self.columns, ids)
        at = np.minimum(at, len(self.columns) - 1)
        known = self.columns[at] == ids
        return at[known], np.flatnonzero(known)

    def _known_rows(self, names: list[str]) -> list[int]:
        """The weight rows of the names the model knows, in order; memoised by name, since most
        features (n-grams, units, rule names) recur in every report."""
        cache = self._row_of
        if len(cache) > _ROW_CACHE_SIZE:
            cache.clear()
        missing = [name for name in names if name not in cache]
        if missing:
            at, which = self._rows(missing)
            cache.update(dict.fromkeys(missing, -1))
            cache.update((missing[i], int(row)) for i, row in zip(which, at))
        return [row for row in map(cache.__getitem__, names) if row >= 0]

    def probabilities(self, names: list[str]) -> np.ndarray:
        rows = self._known_rows(names)
        logits = self.bias + self.weights[rows].sum(axis=0)
        logits = np.exp(logits - logits.max())
        return logits / logits.sum()

    def contributions(self, names: list[str], code: str, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed most towards one class, with their weights."""
        if code not in self.classes:
            return []
        column = self.classes.index(code)
        rows, which = self._rows(names)
        weights = self.weights[rows, column] - self.weights[rows].mean(axis=1)
        order = np.argsort(-weights)[:top]
        return [(names[which[i]], round(float(weights[i]), 2)) for i in order if weights[i] > 0]

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, classes=np.array(self.classes), columns=self.columns,
                            weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            feature_bits=np.array(FEATURE_BITS))


def read_scorer(path: Path) -> Scorer:
    with np.load(path) as data:
        scorer = Scorer([str(c) for c in data["classes"]], data["columns"], data["weights"], data["bias"])
    scorer.version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return scorer


@lru_cache(maxsize=1)
def load_scorer() -> Scorer | None:
    """The shipped model, once per process; None before `make train` has made one."""
    return read_scorer(MODEL_PATH) if MODEL_PATH.exists() else None


def model_version() -> str:
    scorer = load_scorer()
    return scorer.version if scorer else "no-model"


@dataclass
class Decision:
    """What the model made of one number: its pick among the indicators the unit allows, the
    runner-up, and the features behind the pick."""

    candidate: Candidate
    indicator: str
    probability: float
    runner_up: str
    runner_up_probability: float
    value: float | None
    names: list[str]


def decide(scorer: Scorer, candidate: Candidate, names: list[str], allowed: dict[str, float]) -> Decision:
    """The most probable class whose unit fits the number (or none), renormalised over those."""
    probabilities = scorer.probabilities(names)
    options = [(float(p), code) for code, p in zip(scorer.classes, probabilities)
               if code == NONE or code in allowed]
    total = sum(p for p, _ in options) or 1.0
    options.sort(reverse=True)
    (best_p, best), (second_p, second) = options[0], (options[1] if len(options) > 1 else (0.0, ""))
    return Decision(candidate, best, best_p / total, second, second_p / total, allowed.get(best), names)
