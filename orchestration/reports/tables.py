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


# A value cell that says none was given.
NO_VALUE = re.compile(r"^[—\-－–―/／]{1,2}$")

# A cell that is only a unit marks a data row of an indicator table, even when its value is text.
UNIT_CELL = re.compile(r"^(?:人|人次|万人|万人次|名|%|％|‰|元|万元|亿元|个|所|册|万册|门|项|本|台|学时|课时|元/生|万元/生|个/生|册/生|[:：])$")


def header_depth(rows: list[list[str]]) -> int:
    """Number of leading rows that hold no data values (only labels and years)."""
    depth = 0
    for row in rows:
        if any(UNIT_CELL.match(c.replace(" ", "")) for c in row):
            break
        values = [c for c in row if is_numeric_cell(c)]
        # A lone small number in the first column is a row index (序号), not data.
        if values and not (len(values) == 1 and row and row[0] == values[0] and len(row) > 2):
            break
        depth += 1
    return min(depth, len(rows))


def _char_groups(line: dict, starts: list[float] | None = None, value_starts: list[float] = ()) -> list[list[dict]]:
    """A text line's characters split into cells wherever the gap between them is wide, inside a
    table wherever a character begins at one of the table's column starts (tightly set exports),
    and where a number begins at one of value_starts."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    if not chars:
        return []
    cells: list[list[dict]] = [[chars[0]]]
    for prev, char in zip(chars, chars[1:]):
        x0, before, size = char["x0"], prev["size"], char["size"]
        # Prose has no gaps inside CJK runs and ~0.3 em around numbers; cells sit ≥ 0.8 em apart.
        new_cell = x0 - prev["x1"] > (before if before > size else size) * 0.8
        # Inside a table a char at one of its column starts begins a cell (tightly set exports), and
        # so does a number at a value start (numbers set close together, "35483|24918", begin at
        # their columns' header starts too).
        new_cell = new_cell or starts is not None and any(
            abs(x0 - s) <= 1.5 and prev["x0"] < s - 1.5 for s in starts)
        new_cell = new_cell or bool(value_starts) and char["text"].isdigit() and prev["text"] not in ".,，" \
            and any(abs(x0 - s) <= 1.5 for s in value_starts)
        if new_cell:
            cells.append([char])
        else:
            cells[-1].append(char)
    return cells


def _cells(line: dict, starts: list[float] | None = None, value_starts: list[float] = ()) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of each cell of a text line (_char_groups)."""
    return [(g[0]["x0"], g[-1]["x1"], clean("".join(c["text"] for c in g))) for g in _char_groups(line, starts, value_starts)]


def merge_wrapped_rows(lines: list[dict]) -> tuple[list[dict], list[list[int]]]:
    """Lines that overlap one another vertically are one table row whose cells wrap: Writer centres
    a row's one-line cells ("25") against its wrapped ones ("2022—" over "2023"), and text lines
    never overlap otherwise. Each such band becomes one line, column by column; returned with the
    indices of the lines each merged line stands for."""
    bands: list[list[int]] = []
    for i, line in enumerate(lines):
        if bands:
            above = lines[bands[-1][-1]]
            height = min(line["bottom"] - line["top"], above["bottom"] - above["top"])
            if line["top"] < above["bottom"] - 0.2 * height and line["top"] > above["top"]:
                bands[-1].append(i)
                continue
        bands.append([i])
    return [lines[b[0]] if len(b) == 1 else _merge_band([lines[i] for i in b]) for b in bands], bands


def _merge_band(lines: list[dict]) -> dict:
    """One line from a band of overlapping lines: the cells that share columns joined top to bottom,
    each column's characters fitted into the width its cells span, so the gutters stay."""
    # Column starts that several of the band's lines share split a line whose cells touch.
    starts = _column_starts([_cells(line) for line in lines])
    cells = sorted((g for line in lines for g in _char_groups(line, starts)), key=lambda g: g[0]["x0"])
    columns: list[list[list[dict]]] = []
    for group in cells:
        # A cell is in a column when its centre lies in the column, or the column's first cell's centre
        # in it: wrapped text is centred in its column and may be wider than the cells around it.
        x0, x1 = group[0]["x0"], group[-1]["x1"]
        match = None
        for column in columns:
            left, right = min(g[0]["x0"] for g in column), max(g[-1]["x1"] for g in column)
            first = (column[0][0]["x0"] + column[0][-1]["x1"]) / 2
            if left - 1 <= (x0 + x1) / 2 <= right + 1 or x0 - 1 <= first <= x1 + 1:
                match = column
                break
        if match is None:
            columns.append([group])
        else:
            match.append(group)
    columns.sort(key=lambda column: min(g[0]["x0"] for g in column))
    chars, texts = [], []
    for column in columns:
        ordered = [c for g in sorted(column, key=lambda g: (g[0]["top"], g[0]["x0"])) for c in g]
        left, right = min(g[0]["x0"] for g in column), max(g[-1]["x1"] for g in column)
        scale = (right - left) / (sum(c["x1"] - c["x0"] for c in ordered) or 1)
        x = left
        for c in ordered:
            width = (c["x1"] - c["x0"]) * scale
            chars.append(dict(c, x0=x, x1=x + width))
            x += width
        texts.append("".join(c["text"] for c in ordered))
    return dict(lines[0], text=" ".join(texts), chars=chars, x0=min(l["x0"] for l in lines), x1=max(l["x1"] for l in lines),
                top=min(l["top"] for l in lines), bottom=max(l["bottom"] for l in lines))


def _header_line(line: dict, gap_cells: list, starts: list[float]) -> bool:
    """A line above a table's data is a header when it is split into cells by wide gaps, or when it
    is short label text (no sentence punctuation) that the column starts split."""
    text = line["text"].strip()
    if re.match(r"^(?:表|图|单位|注|资料来源|数据来源)", text):
        return False  # a caption or a note, not a header row
    if len(gap_cells) >= 2:
        return True
    # Header cells sit at column starts; a centred caption ("…情况表") does not.
    first = min(c["x0"] for c in line["chars"] if c["text"].strip())
    at_column = any(abs(first - s) <= 1.5 for s in starts)
    return at_column and len(text) <= 80 and not re.search(r"[。，；;,：]", text) and len(_cells(line, starts)) >= 2


def _column_starts(rows: list[list[tuple[float, float, str]]]) -> list[float]:
    """x positions where cells of at least two data rows begin."""
    counts: dict[int, list[float]] = {}
    for row in rows:
        for x0, _, _ in row:
            counts.setdefault(round(x0 / 2), []).append(x0)
    return sorted(min(xs) for xs in counts.values() if len(xs) >= 2)


def find_borderless_tables(lines: list[dict], page: int, carried: list[float] = ()) -> tuple[list[TableBlock], set[int]]:
    """Rebuild tables that have no ruling lines from the x positions of their cells; returns them and
    the indices of the lines they use. Rows whose cells wrap are merged first (merge_wrapped_rows).
    `carried`: the column starts of a table that ran to the foot of the previous page."""
    merged, bands = merge_wrapped_rows(lines)
    tables, used = _find_borderless_tables(merged, page, list(carried))
    return tables, {i for k in used for i in bands[k]}


def _continued_rows(lines: list[dict], carried: list[float]) -> dict[int, list[tuple[float, float, str]]]:
    """The lines at the top of a page that go on with the previous page's table, split at its column
    starts (tight columns leave gaps too narrow to split on): from the first line, past at most two
    one-cell lines without sentence punctuation (a running header), while each line splits into
    cells with a number or a unit."""
    out: dict[int, list[tuple[float, float, str]]] = {}
    skipped = 0
    for k, line in enumerate(lines):
        cells = _cells(line, carried, carried)
        tabular = len(cells) >= 2 and any(is_numeric_cell(t) or UNIT_CELL.match(t.replace(" ", "")) for _, _, t in cells)
        if tabular:
            out[k] = cells
        elif out or skipped >= 2 or len(_cells(line)) > 1 or re.search(r"[。，；;]", line["text"]):
            break  # past the table's rows, or prose: only a running header may come first
        else:
            skipped += 1
    return out


def _find_borderless_tables(lines: list[dict], page: int, carried: list[float]) -> tuple[list[TableBlock], set[int]]:
    """A data row is a line split into ≥3 cells of which ≥2 are numbers, or a label and a number set
    apart; runs of ≥2 such rows (≥3 label-value pairs), with up to three multi-cell header lines
    above them, form a table.
    """
    continued = _continued_rows(lines, carried) if carried else {}
    split = [continued.get(k) or _cells(line) for k, line in enumerate(lines)]
    numeric = [sum(is_numeric_cell(t) for _, _, t in c) for c in split]
    # A label and its value set apart ("专任教师（人）      268"): a row of a two-column table; a dash
    # for a value not given ("生均教学仪器设备值（元）  —") keeps a row in it.
    pair = [len(c) == 2 and (is_numeric_cell(c[1][2]) or bool(NO_VALUE.match(c[1][2])))
            and not is_numeric_cell(c[0][2]) and not NO_VALUE.match(c[0][2]) for c in split]
    # "在校生 | 万人 | 1.26": an indicator, its unit and its value (指标 | 单位 | 数值).
    with_unit = [len(c) >= 3 and n >= 1 and any(UNIT_CELL.match(t.replace(" ", "")) for _, _, t in c) for c, n in zip(split, numeric)]
    strong = [(len(c) >= 3 and n >= 2) or p or u for c, n, p, u in zip(split, numeric, pair, with_unit)]
    # A row with one value ("其中：专任教师总数  人  340") belongs to a table of strong rows around it.
    weak = [(len(c) >= 3 and n >= 1) or p for c, n, p in zip(split, numeric, pair)]
    tables, used = [], set()
    i = 0
    while i < len(lines):
        if not weak[i]:
            i += 1
            continue
        j = i
        starts = {round(x0) for x0, _, _ in split[i]}
        while j + 1 < len(lines) and weak[j + 1] and _same_columns(starts, split[j + 1]):
            j += 1
            starts |= {round(x0) for x0, _, _ in split[j]}
        run = range(i, j + 1)
        # One row alone is a table only when it is clearly tabular (a row carried over to a new page);
        # label-value pairs only when three or more line up.
        pairs_only = all(pair[k] for k in run)
        # A row that goes on with the last page's table is one, however short.
        if sum(strong[k] for k in run) >= 1 and (len(run) >= 3 or not pairs_only and (
                len(run) >= 2 or len(split[i]) >= 4 or i in continued)):
            starts = _column_starts([split[k] for k in range(i, j + 1) if strong[k]])
            # Up to three header lines above the data, split at the same column starts.
            start = i
            while start - 1 >= 0 and i - start < 3 and not weak[start - 1] and _header_line(lines[start - 1], split[start - 1], starts):
                start -= 1
            # A header cell's start also splits a data cell where a number begins right there: a
            # label or a value set close to the next value ("普通中专31" under "类型 | 2015年").
            value_starts = [x0 for k in range(start, i) for x0, _, _ in split[k]]
            if i in continued:
                starts, value_starts = sorted(set(starts) | set(carried)), carried
            cells = [_cells(lines[k], starts, value_starts) for k in range(start, j + 1)]
            rows = _align(cells)
            # Past its last row only a page number or a footer: the table may go on overleaf, where
            # its rows are split where its data cells begin.
            ends_page = all(len(line["text"].strip()) <= 12 for line in lines[j + 1 :])
            data_starts = _column_starts(cells[i - start :])
            tables.append(TableBlock(page, rows, "borderless", round(float(lines[start]["top"]), 2),
                                     column_starts=sorted(set(starts) | set(value_starts) | set(data_starts)),
                                     ends_page=ends_page))
            used.update(range(start, j + 1))
        i = j + 1
    orphan = _orphaned_header(lines, split, used)
    if orphan:
        cells = [_split_years(split[k]) for k in orphan]
        tables.append(TableBlock(page, _align(cells), "borderless", round(float(lines[orphan[0]]["top"]), 2),
                                 column_starts=sorted(x0 for row in cells for x0, _, _ in row), ends_page=True))
        used.update(orphan)
    return tables, used


YEAR_TOKEN = re.compile(r"(?<![\d\-—–~至])(?:19|20)\d\d\s*(?:[-—–~至]\s*(?:19|20)?\d\d\s*)?(?:学年度|学年|年度|年|届)?")


def _split_years(cells: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Header cells set close together ("单位2023年2024年") apart at each year they name, at the
    x position the year's characters take."""
    out = []
    for x0, x1, text in cells:
        cuts = sorted({0, *(m.start() for m in YEAR_TOKEN.finditer(text) if m.group().strip())} - {len(text)})
        width = (x1 - x0) / max(len(text), 1)
        for a, b in zip(cuts, cuts[1:] + [len(text)]):
            out.append((x0 + a * width, x0 + b * width - 0.5, text[a:b].strip()))  # apart, not touching
    return out


CAPTION = re.compile(r"^\s*表\s*(?:\d|[一二三四五六七八九十])")


def _orphaned_header(lines: list[dict], split: list, used: set[int]) -> list[int]:
    """The header lines of a table whose caption and header end the page while its body is overleaf
    (Writer keeps a caption with the header, not with the rows): up to three multi-cell label lines
    under a "表N" caption, with nothing after them but a page number."""
    last = len(lines) - 1
    while last >= 0 and len(lines[last]["text"].strip()) <= 6 and len(split[last]) <= 1:
        last -= 1  # the page number
    header = []
    k = last
    while k >= 0 and len(header) < 3 and k not in used and len(split[k]) >= 2 and not any(
            is_numeric_cell(t) for _, _, t in split[k]) and not re.search(r"[。，；;,：]", lines[k]["text"]):
        header.insert(0, k)
        k -= 1
    return header if header and k >= 0 and k not in used and CAPTION.match(lines[k]["text"]) else []


def _same_columns(starts: set[int], row: list[tuple[float, float, str]]) -> bool:
    """A row continues a table when most of its cells start where the table's cells start."""
    matched = sum(any(abs(x0 - s) <= 3 for s in starts) for x0, _, _ in row)
    return matched * 2 >= len(row)


def _columns(rows: list[list[tuple[float, float, str]]]) -> list[tuple[float, float]]:
    """Column extents from the gutters that no cell of a complete row crosses."""
    widest = max(len(r) for r in rows)
    spans = sorted((x0, x1) for r in rows if len(r) == widest for x0, x1, _ in r)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _align(rows: list[list[tuple[float, float, str]]]) -> list[list[str]]:
    """Place each cell in the column it overlaps most (nearest when it overlaps none)."""
    bounds = _columns(rows)
    centres = [(a + b) / 2 for a, b in bounds]
    out = []
    for row in rows:
        cells = [""] * len(bounds)
        for x0, x1, text in row:
            overlap = [min(x1, b1) - max(x0, b0) for b0, b1 in bounds]
            best = max(range(len(bounds)), key=lambda k: overlap[k])
            if overlap[best] <= 0:
                best = min(range(len(centres)), key=lambda k: abs(centres[k] - (x0 + x1) / 2))
            cells[best] = (cells[best] + text) if cells[best] else text
        out.append(cells)
    return out
