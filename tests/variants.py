"""Differently produced versions of the sample reports, for measuring extraction beyond the given PDFs.

A report's text (tests/seeds/, the same text as the sample PDFs) is laid out again with reportlab:
another page size and margins, another running header and footer ("第 N 页 共 M 页"), and tables
drawn borderless or as three-line tables, which pdfplumber's ruled-table finder does not see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, B5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from pdf_factory import FONT, _wrap


@dataclass(frozen=True)
class Style:
    name: str
    pagesize: tuple[float, float] = A4
    margin: float = 64
    body: float = 10.5
    table_style: str = "borderless"  # borderless | three_line | ruled
    header: str = "{title}"  # running header; {title} and {year}
    footer: str = "第 {page} 页"
    indent: bool = True


STYLES = [
    Style("borderless_b5", pagesize=B5, margin=48, body=9.5, table_style="borderless",
          header="{title}", footer="第 {page} 页"),
    Style("three_line_a4", pagesize=A4, margin=80, body=11, table_style="three_line",
          header="职业教育质量年度报告 · {year}", footer="- {page} -", indent=False),
]


def _blocks(text: str):
    """(kind, payload) from the seed text: heading, paragraph or table (list of rows)."""
    lines = [l.rstrip() for l in text.splitlines()]
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or "....." in line:
            i += 1
            continue
        if "\t" in line:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append([c.strip() for c in lines[i].split("\t")])
                i += 1
            yield "table", rows
            continue
        clean = re.sub(r"\*\*|^#+\s*", "", line).strip()
        yield ("heading" if line.startswith("#") or len(clean) < 24 and not clean.endswith("。") else "paragraph"), clean
        i += 1


class _Writer:
    def __init__(self, path: Path, style: Style, title: str, year: str):
        self.style = style
        self.c = canvas.Canvas(str(path), pagesize=style.pagesize)
        self.c.setTitle(title)
        self.width, self.height = style.pagesize
        self.left, self.right = style.margin, self.width - style.margin
        self.top, self.bottom = self.height - style.margin, style.margin
        self.header = style.header.format(title=title, year=year)
        self.page, self.y = 1, self.top

    def _finish_page(self):
        self.c.setFont(FONT, 8)
        self.c.drawString(self.left, self.height - self.style.margin / 2, self.header)
        self.c.line(self.left, self.height - self.style.margin / 2 - 3, self.right, self.height - self.style.margin / 2 - 3)
        self.c.drawRightString(self.right, self.style.margin / 2, self.style.footer.format(page=self.page))

    def _need(self, h):
        if self.y - h < self.bottom:
            self._finish_page()
            self.c.showPage()
            self.page += 1
            self.y = self.top

    def text(self, text: str, size: float, indent: bool):
        for line in _wrap(("　　" if indent else "") + text, size, self.right - self.left):
            self._need(size * 1.7)
            self.c.setFont(FONT, size)
            self.c.drawString(self.left, self.y, line)
            self.y -= size * 1.7
        self.y -= size * 0.4

    def table(self, rows: list[list[str]]):
        cols = max(len(r) for r in rows)
        rows = [r + [""] * (cols - len(r)) for r in rows]
        avail = self.right - self.left
        size = 8.0
        widths = [max(pdfmetrics.stringWidth(r[j], FONT, size) for r in rows) + size * 2 for j in range(cols)]
        while sum(widths) > avail:  # narrow the widest column and shorten its text, as a tight export would
            widest = max(range(cols), key=lambda j: widths[j])
            widths[widest] -= min(widths[widest] - size * 4, sum(widths) - avail) or size
        height = size * 2
        self._need(height * min(len(rows), 3) + 6)
        if self.style.table_style == "three_line":
            self.c.setLineWidth(1.2)
            self.c.line(self.left, self.y + height - 4, self.left + sum(widths), self.y + height - 4)
        for n, row in enumerate(rows):
            self._need(height)
            x = self.left
            self.c.setFont(FONT, size)
            for width, cell in zip(widths, row):
                if self.style.table_style == "ruled":
                    self.c.rect(x, self.y - 5, width, height, stroke=1, fill=0)
                text = cell
                while text and pdfmetrics.stringWidth(text, FONT, size) > width - size:
                    text = text[:-1]
                self.c.drawString(x + size * 0.5, self.y, text)
                x += width
            if self.style.table_style == "three_line" and n == 0:
                self.c.setLineWidth(0.6)
                self.c.line(self.left, self.y - 5, self.left + sum(widths), self.y - 5)
            self.y -= height
        if self.style.table_style == "three_line":
            self.c.setLineWidth(1.2)
            self.c.line(self.left, self.y + height - 5, self.left + sum(widths), self.y + height - 5)
        self.y -= 8

    def save(self):
        self._finish_page()
        self.c.save()


def render(seed_text: str, path: Path, style: Style) -> Path:
    blocks = list(_blocks(seed_text))
    title = next(p for k, p in blocks if k != "table")
    year = (re.search(r"(20\d\d)", title) or re.search(r"(20\d\d)", seed_text)).group(1)
    writer = _Writer(path, style, title, year)
    writer.c.setFont(FONT, 20)
    writer.c.drawCentredString(writer.width / 2, writer.top - 40, title)
    writer.y = writer.top - 90
    for kind, payload in blocks[1:]:
        if kind == "table":
            writer.table(payload)
        elif kind == "heading":
            writer.y -= 4
            writer.text(payload, style.body + 2, indent=False)
        else:
            writer.text(payload, style.body, indent=style.indent)
    writer.save()
    return path
