"""What the make_roundN.py generators of the blind sets share: documents as blocks (heading,
paragraph, table) with their gold rows, written as PDFs with reportlab's STSong-Light and as gold
CSVs, each gold snippet checked against the PDF's text (pdfplumber, whitespace ignored)."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for pdf_factory

from pdf_factory import ReportWriter  # noqa: E402

GOLD_COLUMNS = ["doc", "entity", "entity_level", "period_year", "indicator", "value", "snippet"]


def H(text: str) -> tuple:  # noqa: N802 - short names keep the document texts readable
    return ("h", text)


def P(text: str, **style) -> tuple:  # noqa: N802
    return ("p", text, style)


def T(rows: list[list[str]], ruled: bool = True, widths=None) -> tuple:  # noqa: N802
    return ("t", rows, ruled, widths)


class BlindSet:
    def __init__(self, here: Path):
        self.here = here
        self.docs: list[dict] = []

    def doc(self, name: str, title: str, blocks: list, gold: list[tuple], header: str | None = None) -> None:
        self.docs.append({"name": name, "title": title, "blocks": blocks, "gold": gold, "header": header})

    def build(self) -> None:
        import pdfplumber

        (self.here / "pdf").mkdir(exist_ok=True)
        (self.here / "gold").mkdir(exist_ok=True)
        total = 0
        for d in self.docs:
            pdf = self.here / "pdf" / f"{d['name']}.pdf"
            writer = ReportWriter(pdf, d["title"], header=d["header"])
            for block in d["blocks"]:
                if block[0] == "h":
                    writer.heading(block[1])
                elif block[0] == "p":
                    writer.paragraph(block[1], **block[2])
                else:
                    writer.table(block[1], ruled=block[2], widths=block[3])
            writer.save()
            with open(self.here / "gold" / f"{d['name']}.csv", "w", newline="", encoding="utf-8") as handle:
                out = csv.writer(handle)
                out.writerow(GOLD_COLUMNS)
                out.writerows([d["name"], *row] for row in d["gold"])
            with pdfplumber.open(pdf) as opened:
                text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in opened.pages))
                pages = len(opened.pages)
            missing = [g[5] for g in d["gold"] if re.sub(r"\s+", "", g[5]) not in text]
            total += len(d["gold"])
            print(f"{d['name']}: {pages} page(s), {len(d['gold'])} gold, snippets missing: {missing or 'none'}")
        print(f"total gold: {total}")
