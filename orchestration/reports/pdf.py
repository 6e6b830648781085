"""PDF → clean text blocks and tables, with pdfplumber. No Dagster here."""

from __future__ import annotations

import hashlib
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
from pdfminer.ascii85 import asciihexdecode
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE, PDFStream, dict_value, resolve1,
)
from pdfminer.psparser import literal_name
from pdfplumber.table import TableFinder

from .ascii85 import ascii85decode
from .fast_pages import FastPageReader
from .font_descents import DeclaredDescents
from .lines import text_lines
from .model import ParsedReport, TableBlock, TextBlock
from .ocr import PageReader, regions_to_read
from .tables import CAPTION, find_borderless_tables, normalise_rows
from .text import clean, join_wrapped

# Bands of the page, as a share of its height, where running headers and footers live.
MARGIN_BAND = 0.09
# A line repeated on this share of pages (digits ignored) is a running header or footer.
REPEAT_SHARE = 0.4

PAGE_NUMBER = re.compile(
    r"^(?:[-—–·\s]*\d{1,4}[-—–·\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[ivxlcIVXLC]{1,6}|page\s*\d+)$",
    re.IGNORECASE,
)
HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s*[^\d\s.%，。]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十\d]{1,3}[章节部分]|案例\s*\d|表\s*\d|图\s*\d|附[表件录])"
)
SENTENCE_END = ("。", "！", "？", "；", "：", ":", ";", "!", "?")
# What a page may cost before any reader touches it. Two A0 sheets of area: a report page is A4, a
# fold-out A3; a page 5 m square packed with text costs pdfplumber gigabytes. 8 MB of decoded content
# (drawing operators): real report pages have tens of KB; a compression bomb has gigabytes.
MAX_PAGE_AREA_PT2 = 2 * 2384 * 3370
MAX_PAGE_CONTENT_BYTES = 8 << 20
_FORM_DEPTH = 8


class ReportError(Exception):
    """A file that cannot be read as a report; `status` is a short machine-readable code."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):  # sent back from worker processes whole
        return type(self), (self.status, self.message)


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    from_ocr: bool = False


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _outside(bboxes):
    def keep(char: dict) -> bool:
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        return not any(x0 - 1 <= cx <= x1 + 1 and t - 1 <= cy <= b + 1 for x0, t, x1, b in bboxes)

    return keep


def _inside(bbox):
    """pdfplumber's test of a char in a table cell (its middle, right and bottom edges open)."""
    x0, top, x1, bottom = bbox

    def keep(char: dict) -> bool:
        h_mid, v_mid = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        return x0 <= h_mid < x1 and top <= v_mid < bottom

    return keep


def _page_content(page, number: int) -> tuple[list[TableBlock], list[dict]]:
    """Ruled tables and the text lines outside them, from a pdfplumber Page or a PdfiumPage."""
    tables: list[TableBlock] = []
    bboxes = []
    for found in TableFinder(page).tables:
        # extract() tests every char of its page against each row: give it only the table's own.
        found.page = SimpleNamespace(chars=list(filter(_inside(found.bbox), page.chars)))
        rows = normalise_rows(found.extract())
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            tables.append(TableBlock(number, rows, "ruled", round(float(found.bbox[1]), 2)))
            bboxes.append(found.bbox)
    chars = list(filter(_outside(bboxes), page.chars)) if bboxes else page.chars
    return tables, text_lines(chars)


def _split_lines(raw_lines: list[dict], number: int, carried: list[float] = ()) -> tuple[list[TableBlock], list[_Line]]:
    """Borderless tables found among the text lines, and the lines that are not in them."""
    tables, used = find_borderless_tables(raw_lines, number, carried)
    lines = []
    for i, line in enumerate(raw_lines):
        if i in used or not line["text"].strip():
            continue
        sizes = [c["size"] for c in line["chars"] if c["text"].strip()] or [0.0]
        lines.append(_Line(number, line["text"], line["x0"], line["x1"], line["top"], line["bottom"],
                           statistics.median(sizes), "ocr_score" in line["chars"][0]))
    return tables, lines


def _read_pictures(reader: PageReader, source, number: int, carried: list[float],
                   lines: list[_Line]) -> tuple[list[TableBlock], list[_Line], dict | None]:
    """Tables and lines OCR reads off the page's pictures (a scanned page, a pasted table), and what
    it made of the page; nothing when the page has no picture without text over it."""
    regions = regions_to_read(source.images, source.chars, float(source.width), float(source.height))
    if not regions:
        return [], [], None
    read = reader.read(number, regions, source.chars)
    tables, ocr_lines = _split_lines(text_lines(read.chars), number, [] if lines else carried)
    for table in tables:
        table.method, table.ocr_score = "ocr", round(read.score, 3)
    summary = {"page": number, "status": read.status, "reason": read.reason, "score": round(read.score, 3),
               "seconds": read.seconds, "prose": len(ocr_lines) > len(lines)}
    return tables, ocr_lines, summary


def _caption(table: TableBlock, lines: list[_Line]) -> str:
    """The short line right above a table ("表2-1 …学生数量情况（单位：人）"): it may name the
    indicator, unit or year that the header rows leave out."""
    above = [l for l in lines if l.bottom <= table.top + 1 and table.top - l.bottom <= 2.5 * l.size]
    if not above:
        return ""
    line = max(above, key=lambda l: l.bottom)
    text = clean(line.text)
    return text if len(text) <= 60 and not text.endswith(("。", "；")) else ""


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> tuple[list[list[_Line]], int]:
    """Remove running headers, footers and page numbers (lines repeated in the page margins)."""
    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        keys = {
            _margin_key(l.text)
            for l in lines
            if l.top < height * MARGIN_BAND or l.bottom > height * (1 - MARGIN_BAND)
        }
        counts.update(keys)
    threshold = max(2, int(len(pages) * REPEAT_SHARE))
    repeated = {k for k, n in counts.items() if n >= threshold}
    kept, dropped = [], 0
    for lines, height in zip(pages, heights):
        page_kept = []
        for l in lines:
            in_margin = l.top < height * MARGIN_BAND or l.bottom > height * (1 - MARGIN_BAND)
            if in_margin and (_margin_key(l.text) in repeated or PAGE_NUMBER.match(l.text.strip())):
                dropped += 1
                continue
            page_kept.append(l)
        kept.append(page_kept)
    return kept, dropped


def _blocks(pages: list[list[_Line]]) -> list[TextBlock]:
    """Group lines into paragraphs and headings, re-joining sentences across page breaks."""
    all_lines = [l for lines in pages for l in lines]
    if not all_lines:
        return []
    left = Counter(round(l.x0) for l in all_lines).most_common(1)[0][0]
    # The text column's right edge: most lines of a long report end there, but a short one may have
    # more headings than full lines, so a high percentile stands in for the most common edge.
    ends = sorted(l.x1 for l in all_lines)
    right = max(Counter(round(x) for x in ends).most_common(1)[0][0], ends[int(len(ends) * 0.9)])
    body_size = statistics.median(l.size for l in all_lines) or 10.0
    blocks: list[TextBlock] = []
    current: TextBlock | None = None
    prev: _Line | None = None

    def flush():
        nonlocal current
        if current is not None and current.text.strip():
            blocks.append(current)
        current = None

    for line in all_lines:
        text = clean(line.text)
        if not text:
            continue
        indented = line.x0 > left + body_size * 0.8
        larger = line.size > body_size * 1.15
        prev_sentence_end = prev is not None and clean(prev.text).endswith(SENTENCE_END)
        prev_short = prev is not None and prev.x1 < right - body_size * 2
        prev_ended = prev is None or prev_sentence_end or prev_short
        # A numbered heading starts after a finished line; "9人次）" wrapped from "…126" is not one.
        is_heading = (bool(HEADING.match(text)) and len(text) <= 40 and not text.endswith(SENTENCE_END[:2])
                      and (prev_ended or current is None or current.kind == "heading" or larger))
        new_paragraph = current is None or current.kind == "heading" or is_heading or larger or (
            indented and prev_ended
        ) or (prev_sentence_end and prev_short) or (
            prev_ended and prev is not None and prev.page == line.page and line.top - prev.bottom > body_size * 1.2
        )
        if new_paragraph:
            flush()
            current = TextBlock(text, "heading" if (is_heading or larger) else "paragraph", [(0, line.page)])
        else:
            offset = len(current.text)
            joined = join_wrapped(current.text, text)
            offset += len(joined) - len(current.text) - len(text)
            if line.page != current.page_starts[-1][1]:
                current.page_starts.append((offset, line.page))
            current.text = joined
        prev = line
    flush()
    return blocks


def _carry_table_headers(tables: list[TableBlock]) -> None:
    """A table continued on the next page without its header row borrows the previous header."""
    from .tables import header_depth

    for prev, table in zip(tables, tables[1:]):
        # The continuation follows on the next page, or directly below on the same page.
        if table.page not in (prev.page, prev.page + 1) or not table.rows or not prev.rows:
            continue
        if CAPTION.match(table.caption):
            continue  # a caption of its own ("表2 …") starts a new table, not a continuation
        if header_depth(table.rows) == 0 and len(table.rows[0]) == len(prev.rows[0]):
            depth = header_depth(prev.rows)
            if depth:
                table.rows = prev.rows[:depth] + table.rows
                # The line above a continuation is a running header, not its caption.
                table.caption = prev.caption
    # Those headers now head their bodies.
    tables[:] = [t for t in tables if header_depth(t.rows) < len(t.rows)]


def _decoded_size(stream, limit: int) -> int:
    """Bytes a stream decodes to, never inflating more than limit + 1 (a bomb is measured, not opened)."""
    if not isinstance(stream, PDFStream):
        return 0
    data = stream.rawdata if stream.rawdata is not None else stream.data or b""
    if stream.decipher and stream.rawdata is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, _ in stream.get_filters():
        if name in LITERALS_FLATE_DECODE:
            try:
                data = zlib.decompressobj().decompress(data, limit + 1)
            except zlib.error:
                return len(data)  # pdfminer and pdfium decode what they can of a damaged stream
        elif name in LITERALS_ASCII85_DECODE:
            data = ascii85decode(data)
        elif name in LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        if len(data) > limit:
            break
    return len(data)


def _content_size(contents, resources, limit: int, seen: set, depth: int = 0) -> int:
    """Decoded bytes of a page's content streams and the form XObjects they can draw, up to limit."""
    total = sum(_decoded_size(resolve1(c), limit) for c in contents)
    xobjects = dict_value(resolve1(dict_value(resources).get("XObject")) or {}) if resources else {}
    for ref in xobjects.values():
        form = resolve1(ref)
        key = getattr(ref, "objid", id(form))
        if total > limit or depth >= _FORM_DEPTH or key in seen or not isinstance(form, PDFStream):
            continue
        seen.add(key)
        if literal_name(form.get("Subtype")) == "Form":
            total += _content_size([form], form.get("Resources"), limit - total, seen, depth + 1)
    return total


def _check_page_cost(page, number: int, name: str) -> None:
    """ReportError too_large_page when a page is over the area or decoded-content limit."""
    area = float(page.width) * float(page.height)
    if area > MAX_PAGE_AREA_PT2:
        raise ReportError(
            "too_large_page",
            f"{name}: page {number} measures {page.width / 72 * 25.4:.0f} × {page.height / 72 * 25.4:.0f} mm, over the "
            "limit of two A0 sheets; parsing it could take gigabytes of memory. Export the report at A4 (or A3) "
            "and put that in raw/.",
        )
    page_obj = page.page_obj
    size = _content_size(page_obj.contents, page_obj.resources, MAX_PAGE_CONTENT_BYTES, set())
    if size > MAX_PAGE_CONTENT_BYTES:
        raise ReportError(
            "too_large_page",
            f"{name}: page {number}'s drawing instructions decode to more than {MAX_PAGE_CONTENT_BYTES >> 20} MB "
            "(a report page has tens of KB; this looks like a compression bomb or a page of millions of objects), "
            "so it is not parsed. Re-export the report from its source document.",
        )


def _caused_by(exc: BaseException, kind: type) -> bool:
    """Also through readers that wrap errors (pdfplumber's PdfminerException)."""
    return any(isinstance(e, kind) for e in (exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())))


def _reraise_resource_errors(exc: BaseException) -> None:
    """A MemoryError says what the machine ran out of, not what is wrong with the file: never a final status."""
    if _caused_by(exc, MemoryError):
        raise MemoryError from None


def _page_tree_error(name: str, exc: BaseException) -> ReportError:
    if _caused_by(exc, RecursionError):
        return ReportError(
            "page_tree_too_deep",
            f"{name}: the PDF's page tree is nested too deeply to read (a report's is a few levels; this one "
            "runs past a thousand); re-export the file from its source document.",
        )
    return ReportError("corrupt_pdf", f"{name}: the PDF structure is damaged ({type(exc).__name__}); re-export the file.")


def _close(pdf) -> None:
    try:
        pdf.close()
    except Exception:  # closing re-reads a damaged page tree; what failed was reported already
        pass


def _fast_reader(path: Path, page_count: int) -> FastPageReader | None:
    try:
        return FastPageReader(path, page_count)
    except Exception:  # pdfium cannot read what pdfminer can: pdfplumber reads every page
        return None


def parse_pdf(path: str | Path, *, max_pages: int = 400, sha256: str | None = None,
              fast_text: bool = True) -> ParsedReport:
    """Parse one report. Raises ReportError with a specific status for unreadable input.

    `fast_text` reads pages with pdfium and runs pdfplumber's algorithms on them; False reads every
    page with pdfplumber (the reference path, which must give the same result).
    """
    path = Path(path)
    digest = sha256 or sha256_file(path)
    try:
        pdf = pdfplumber.open(path)
    except OSError:
        raise  # the file could not be read now (moved, a failing disk): not a fault of its content
    except Exception as exc:  # pdfminer raises many types for broken files
        _reraise_resource_errors(exc)
        if _caused_by(exc, RecursionError):
            raise _page_tree_error(path.name, exc) from None
        name = type(exc).__name__
        causes = " ".join(type(e).__name__ for e in (exc, exc.__context__, *getattr(exc, "args", ())) if e is not None)
        if "Password" in causes or "encrypt" in str(exc).lower():
            raise ReportError(
                "password_protected",
                f"{path.name}: the PDF is password-protected; ask the sender for an unprotected copy.",
            ) from None
        raise ReportError(
            "corrupt_pdf",
            f"{path.name}: not a readable PDF ({name}: {str(exc)[:120]}); re-download or re-export the file.",
        ) from None
    try:
        try:
            page_count = len(pdf.pages)
        except Exception as exc:
            _reraise_resource_errors(exc)
            raise _page_tree_error(path.name, exc) from None
        if page_count == 0:
            raise ReportError("corrupt_pdf", f"{path.name}: the PDF has no pages; re-export the file.")
        if page_count > max_pages:
            raise ReportError(
                "too_large",
                f"{path.name}: {page_count} pages is over the limit of {max_pages}; "
                "split the file or raise ZHIJIAO_MAX_PAGES.",
            )
        fast = _fast_reader(path, page_count) if fast_text else None
        pictures = PageReader(path)
        descents = DeclaredDescents()
        tables: list[TableBlock] = []
        pages: list[list[_Line]] = []
        heights: list[float] = []
        ocr_pages: list[dict] = []
        try:
            for number, page in enumerate(pdf.pages, start=1):
                _check_page_cost(page, number, path.name)
                fast_page = fast and fast.page(number - 1, descents.of_page(page))
                ruled, raw_lines = _page_content(fast_page or page, number)
                # A borderless table at the foot of the last page may go on at the top of this one.
                last = tables[-1] if tables and tables[-1].page == number - 1 else None
                carried = last.column_starts if last is not None and last.ends_page else []
                borderless, lines = _split_lines(raw_lines, number, carried)
                ocr_tables, ocr_lines, ocr_page = _read_pictures(pictures, fast_page or page, number, carried, lines)
                if ocr_page:
                    ocr_pages.append(ocr_page)
                    borderless += ocr_tables
                    lines = sorted(lines + ocr_lines, key=lambda l: (l.top, l.x0))
                for table in ruled + borderless:
                    table.caption = _caption(table, lines)
                tables.extend(ruled + borderless)
                pages.append(lines)
                heights.append(float(page.height))
                page.close()  # frees pdfplumber's per-page caches
        except ReportError:
            raise
        except Exception as exc:
            _reraise_resource_errors(exc)
            raise ReportError(
                "corrupt_pdf",
                f"{path.name}: page {len(pages) + 1} cannot be read ({type(exc).__name__}); "
                "the file is probably truncated; re-download it.",
            ) from None
        finally:
            pictures.close()
            if fast:
                fast.close()
        metadata_title = (pdf.metadata or {}).get("Title") or ""
    finally:
        _close(pdf)
    text_chars = sum(len(l.text) for lines in pages for l in lines) + sum(
        len(c) for t in tables for r in t.rows for c in r
    )
    if text_chars < 20 * page_count and text_chars < 200:
        raise _no_text(path.name, page_count, ocr_pages)
    front_lines = [l for lines in pages[:2] for l in lines]
    title = _title(pages[0] if pages else [], metadata_title)
    pages, dropped = _drop_running_lines(pages, heights)
    _carry_table_headers(tables)
    return ParsedReport(
        sha256=digest,
        page_count=page_count,
        title=title,
        blocks=_blocks(pages),
        tables=tables,
        front_text="\n".join(clean(l.text) for l in front_lines),
        dropped_lines=dropped,
        ocr_pages=ocr_pages,
    )


def _no_text(name: str, page_count: int, ocr_pages: list[dict]) -> ReportError:
    if not ocr_pages:
        return ReportError("no_text_layer", f"{name}: {page_count} page(s) with no text layer and no pictures "
                           "for OCR to read; ask for the born-digital PDF or a scan of the paper copy.")
    problems = [p["reason"] for p in ocr_pages if p["status"] != "read"]
    why = f" ({'; '.join(problems[:3])})" if problems else ""
    return ReportError("no_text_layer", f"{name}: {page_count} page(s) with no text layer, and OCR read almost "
                       f"nothing on {len(ocr_pages)} of them{why}; ask for the born-digital PDF or a clearer scan.")


def page_text(path: Path, number: int) -> str:
    """The text layer of one page (from 1), as pdfium reads it: what a steward can copy from it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[number - 1]
        return page.get_textpage().get_text_range()
    finally:
        document.close()


def _title(first_page: list[_Line], metadata_title: str) -> str:
    """The cover's first run of large lines, or the PDF's Title field when the cover has none."""
    if first_page:
        biggest = max(l.size for l in first_page)
        run: list[str] = []
        for line in sorted(first_page, key=lambda l: l.top):
            if line.size >= biggest * 0.8:
                run.append(clean(line.text))
            elif run:
                break
        text = "".join(run)
        if len(text) >= 4 and (biggest > statistics.median(l.size for l in first_page) * 1.15 or len(first_page) <= 6):
            return text
    return clean(metadata_title)
