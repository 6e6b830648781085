"""Train the learned scorer on every gold set in the repository, or measure it leave-one-set-out.

    .venv/bin/python tools/train_scorer.py            # writes orchestration/extraction/model/scorer.npz
    .venv/bin/python tools/train_scorer.py --loso     # per set: a model trained on all the others
    .venv/bin/python tools/train_scorer.py --measure tests/dev_sets/round6   # a new set, once

The sets: the samples (raw/ with tests/gold), real_dev (tests/real_dev, copied from ../shared),
tests/written (texts rendered with ruled tables), and each folder of tests/dev_sets. A set named
in HELD_OUT is never trained on: it is measured once, as a new writer's first figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from orchestration.extraction import learned, training  # noqa: E402
from orchestration.extraction.evaluate import load_gold, totals  # noqa: E402

# Blind sets written after the model: measured once with --measure, not trained on until their
# first figure is in tests/dev_sets/README.md (round6 was: 0.578 / 0.839).
HELD_OUT = {"round7", "round8", "round9c", "round10a", "round10b", "round11", "round12"}


def _pdf_sets(scratch: Path) -> list[tuple[str, Path, Path]]:
    """(set, pdf, gold csv) for every gold file with its PDF."""
    folders = [("samples", REPO / "raw", REPO / "tests" / "gold"),
               ("real_dev", REPO / "tests" / "real_dev" / "pdf", REPO / "tests" / "real_dev" / "gold")]
    folders += [(d.name, d / "pdf", d / "gold") for d in sorted((REPO / "tests" / "dev_sets").iterdir())
                if (d / "gold").is_dir() and d.name not in HELD_OUT]
    out = [(name, pdf, gold) for name, pdfs, golds in folders for gold in sorted(golds.glob("*.csv"))
           if (pdf := _pdf_of(pdfs, gold.stem))]
    return out + _written(scratch)


def _pdf_of(folder: Path, stem: str) -> Path | None:
    pdf = folder / f"{stem}.pdf"  # paired by name, as evaluate_folder pairs them
    return pdf if pdf.exists() else None


def _written(scratch: Path) -> list[tuple[str, Path, Path]]:
    """tests/written's texts laid out as PDFs with ruled tables."""
    from variants import Style, render

    style = Style("ruled_a4", table_style="ruled")
    out = []
    for gold in sorted((REPO / "tests" / "written" / "gold").glob("*.csv")):
        text = (REPO / "tests" / "written" / "txt" / f"{gold.stem}.txt").read_text(encoding="utf-8")
        out.append(("written", render(text, scratch / f"{gold.stem}.pdf", style), gold))
    return out


def _parse(path: str):
    from orchestration.reports.pdf import parse_pdf

    return parse_pdf(Path(path))


def labelled_reports(items: list[tuple[str, Path, Path]], workers: int = 2) -> list[training.LabelledReport]:
    from orchestration.extraction.documents import NotAReport
    from orchestration.extraction.extract import gather_evidence

    with ProcessPoolExecutor(workers) as pool:
        parsed_reports = list(pool.map(_parse, [str(pdf) for _, pdf, _ in items]))
    out = []
    for (set_name, pdf, gold), parsed in zip(items, parsed_reports):
        try:
            evidence, recognised = gather_evidence(parsed, pdf.name), True
        except NotAReport:
            evidence, recognised = None, False
        out.append(training.LabelledReport(set_name, gold.stem, evidence, parsed, load_gold(gold),
                                           recognised))
    return out


def _trainable(reports):
    return [r for r in reports if r.recognised]


def _print_loso(reports: list[training.LabelledReport], regularisation: float) -> tuple[float, float]:
    results = training.leave_one_set_out(_trainable(reports), regularisation)
    print(f"{'set':<10} {'facts':>5}  {'model R/P':>13}  {'rules R/P':>13}")
    means = []
    for name, (with_model, rules_only) in results.items():
        model_figures, rule_figures = totals(with_model), totals(rules_only)
        means.append(model_figures)
        facts = sum(s.gold for s in with_model)
        print(f"{name:<10} {facts:>5}  {model_figures[0]:.3f} / {model_figures[1]:.3f}"
              f"  {rule_figures[0]:.3f} / {rule_figures[1]:.3f}")
    mean = tuple(sum(m[i] for m in means) / len(means) for i in (0, 1))
    print(f"{'mean':<10} {'':>5}  {mean[0]:.3f} / {mean[1]:.3f}   (leave one set out, C={regularisation})")
    return mean


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loso", action="store_true", help="leave-one-set-out recall and precision per set")
    parser.add_argument("--measure", type=Path, help="a held-out set folder (pdf/, gold/) to score once")
    parser.add_argument("--regularisation", type=float, default=training.REGULARISATION)
    parser.add_argument("--out", type=Path, default=learned.MODEL_PATH)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        reports = labelled_reports(_pdf_sets(Path(scratch)))
    if args.loso:
        _print_loso(reports, args.regularisation)
        return 0
    scorer = training.fit(_trainable(reports), args.regularisation)
    if args.measure:
        golds = sorted((args.measure / "gold").glob("*.csv"))
        held = labelled_reports([(args.measure.name, pdf, gold) for gold in golds
                                 if (pdf := _pdf_of(args.measure / "pdf", gold.stem))])
        for label, model in (("model", scorer), ("rules alone", None)):
            recall, precision = totals(training.measure(held, model))
            print(f"{args.measure.name}: {label}: recall {recall:.3f} precision {precision:.3f}")
        return 0
    scorer.save(args.out)
    print(f"{args.out}: {len(scorer.classes)} classes, {len(scorer.columns)} features, "
          f"trained on {len(reports)} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
