"""RapidOCR (the engine zhijiao uses) against Debian's tesseract (chi_sim) on the same scanned pages:
character accuracy against the born-digital text layer, and seconds per page on one core.

    apt-get install tesseract-ocr tesseract-ocr-chi-sim   # only for this comparison
    .venv/bin/python bench/ocr_engines.py [--pages 6]
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from scans import scanned_copy  # noqa: E402


def _squeezed(text: str) -> str:
    return "".join(text.split()).translate(str.maketrans("（），：；", "(),:;"))


def _accuracy(reference: str, read: str) -> float:
    matcher = difflib.SequenceMatcher(None, reference, read, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / (len(reference) or 1)


def _rapidocr(image) -> str:
    from orchestration.reports.ocr import recognise

    return "".join(line.text for line in recognise(image, time.monotonic() + 600))


def _tesseract(image, path: Path) -> str:
    import cv2

    cv2.imwrite(str(path), image)
    done = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "6"],
                          capture_output=True, text=True, env={"OMP_THREAD_LIMIT": "1"}, check=True)
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6, help="pages per sample report")
    parser.add_argument("--out", default="/tmp/zhijiao_engine_scans")
    args = parser.parse_args()
    if not shutil.which("tesseract"):
        print("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
        return 2
    import pypdfium2 as pdfium

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    totals = {"rapidocr": [0.0, 0.0], "tesseract": [0.0, 0.0]}
    pages = 0
    for seed, pdf in enumerate(sorted((REPO / "raw").glob("*.pdf"))):
        scan = scanned_copy(pdf, out / pdf.name, seed=seed)
        born, scanned = pdfium.PdfDocument(str(pdf)), pdfium.PdfDocument(str(scan))
        for index in range(min(args.pages, len(born))):
            reference = _squeezed(born[index].get_textpage().get_text_range())
            if len(reference) < 50:
                continue
            image = scanned[index].render(scale=200 / 72).to_numpy().copy()
            for engine, read in (("rapidocr", lambda: _rapidocr(image)),
                                 ("tesseract", lambda: _tesseract(image, out / "page.png"))):
                started = time.perf_counter()
                text = read()
                totals[engine][1] += time.perf_counter() - started
                totals[engine][0] += _accuracy(reference, _squeezed(text))
            pages += 1
    for engine, (accuracy, seconds) in totals.items():
        print(f"{engine:<10} characters right {accuracy / pages:.3f}   {seconds / pages:.2f} s/page  ({pages} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
