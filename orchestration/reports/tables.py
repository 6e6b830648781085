"""Table helpers: cell clean-up, header depth, and borderless tables rebuilt from word positions."""

from __future__ import annotations

import re

from .model import TableBlock
from .text import clean

NUMERIC_CELL = re.compile(r"^[+\-−]?\s*\d[\d,，]*(?:\.\d+)?\s*(?:%|‰|:\s*\d+(?:\.\d+)?)?$")
YEAR_LABEL = re.compile(r"^(?:19|20)\d\d\s*(?:[-—–至~]\s*(?:19|20)?\d\d)?\s*(?:年|学年|年度|届)?(?:秋季学期)?$")


def normalise_rows(rows: list[list[str | None]]) -> list[list[str]]:
    """Cells as clean single-line strings; wrapped cell text is re-joined."""
    out = []
    for row in rows:
        cells = [clean((c or "").replace("\n", "")) for c in row]
        if any(cells):
            out.append(cells)
    return out


def is_numeric_cell(cell: str) -> bool:
    return bool(cell) and NUMERIC_CELL.match(cell.replace(" ", "")) is not None and not YEAR_LABEL.match(cell)


def header_depth(rows: list[list[str]]) -> int:
    """Number of leading rows that hold no data values (only labels and years)."""
    depth = 0
    for row in rows:
        values = [c for c in row if is_numeric_cell(c)]
        # A lone small number in the first column is a row index (序号), not data.
        if values and not (len(values) == 1 and row and row[0] == values[0] and len(row) > 2):
            break
        depth += 1
    return min(depth, len(rows))


def _cells(line: dict) -> list[tuple[float, float, str]]:
    """Split one text line into cells wherever the gap between characters is wide."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    if not chars:
        return []
    cells: list[list[dict]] = [[chars[0]]]
    for prev, char in zip(chars, chars[1:]):
        gap = char["x0"] - prev["x1"]
        if gap > max(prev["size"], char["size"]) * 1.2:
            cells.append([char])
        else:
            cells[-1].append(char)
    out = []
    for group in cells:
        text = "".join(c["text"] for c in group)
        out.append((group[0]["x0"], group[-1]["x1"], clean(text)))
    return out


def find_borderless_tables(lines: list[dict], page: int) -> tuple[list[TableBlock], set[int]]:
    """Rebuild tables that have no ruling lines from the x positions of their cells.

    A data row is a line split into ≥3 cells of which ≥2 are numbers; runs of ≥2 such rows,
    with up to three multi-cell header lines above them, form a table.
    """
    split = [_cells(line) for line in lines]
    numeric = [sum(is_numeric_cell(t) for _, _, t in c) for c in split]
    strong = [len(c) >= 3 and n >= 2 for c, n in zip(split, numeric)]
    # A row with one value ("其中：专任教师总数  人  340") belongs to a table of strong rows around it.
    weak = [len(c) >= 3 and n >= 1 for c, n in zip(split, numeric)]
    tables, used = [], set()
    i = 0
    while i < len(lines):
        if not weak[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and weak[j + 1]:
            j += 1
        run = range(i, j + 1)
        if sum(strong[k] for k in run) >= 1 and len(run) >= 2:
            start = i
            while start - 1 >= 0 and i - start < 3 and len(split[start - 1]) >= 2 and not weak[start - 1]:
                start -= 1
            rows = _align([split[k] for k in range(start, j + 1)])
            tables.append(TableBlock(page, rows, "borderless", float(lines[start]["top"])))
            used.update(range(start, j + 1))
        i = j + 1
    return tables, used


def _align(rows: list[list[tuple[float, float, str]]]) -> list[list[str]]:
    """Place cells in columns anchored on the widest data row."""
    anchor = max(rows, key=len)
    centres = [(x0 + x1) / 2 for x0, x1, _ in anchor]
    bounds = [(x0, x1) for x0, x1, _ in anchor]
    out = []
    for row in rows:
        cells = [""] * len(anchor)
        for x0, x1, text in row:
            overlap = [min(x1, b1) - max(x0, b0) for b0, b1 in bounds]
            best = max(range(len(bounds)), key=lambda k: overlap[k])
            if overlap[best] <= 0:
                best = min(range(len(centres)), key=lambda k: abs(centres[k] - (x0 + x1) / 2))
            cells[best] = (cells[best] + text) if cells[best] else text
        out.append(cells)
    return out
