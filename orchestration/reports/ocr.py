"""Text read from pictures: scanned pages and tables pasted as images, with RapidOCR (PP-OCR models
that ship in its wheel, so nothing is downloaded at run time). No Dagster here.

The recognised lines come back as pdfplumber-style chars in page coordinates, so the same line
grouping, borderless-table rebuilding, paragraphs and rules apply as on a born-digital page.
"""

from __future__ import annotations

import csv
import math
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

# An image is read when it covers this share of its page and holds no text layer of its own (a
# logo, a photo caption or a stamp is smaller; a scanned page or a pasted table is not).
MIN_IMAGE_SHARE = 0.04
MIN_IMAGE_SIDE_PT = 60.0
# Rendering: 200 dpi for recognition; detection runs on a copy no longer than DETECT_SIDE_PX,
# which finds lines as well and keeps the model's working memory small.
RENDER_DPI = 200
MAX_RENDER_SIDE_PX = 3000
DETECT_SIDE_PX = 1280
# Lines are recognised one at a time: a batch pads every line to its longest, which costs more
# time and memory than it saves. The deadline is checked every REC_CHUNK lines.
REC_CHUNK = 16
# A line recognised below this score is noise (a seal, a photo), not text.
MIN_LINE_SCORE = 0.5
# pdfminer's char box is one font size tall. A detected box's height has a margin that hardly grows
# with the type, so the size comes from the ink inside it: a Han glyph's ink is ~0.88 of its em.
INK_PER_FONT_SIZE = 0.88
INK_ROW_SHARE = 0.02  # a pixel row is ink when this share of it is dark (scan grain is not)
# Lines whose box height is within this share of the region's common height are set at one size.
SAME_SIZE_SHARE = 0.2
# Characters' share of an em, for placing them inside a recognised box.
NARROW_SHARE = 0.55


# Words PP-OCR misreads by one look-alike character (入 read as 人: 升人本科, 月收人), kept in a data
# file; each misreading is a non-word, so correcting it never changes a real word.
CONFUSIONS_FILE = Path(__file__).with_name("ocr_confusions.csv")
# A letter O or o, l or I, read inside a number.
_LETTER_IN_NUMBER = re.compile(r"(?<=\d)[OoIl](?=[\d.%])|(?<=\d[.,])[OoIl]")
_AS_DIGIT = str.maketrans("OoIl", "0011")


@lru_cache(maxsize=1)
def _confusions() -> tuple[re.Pattern, dict[str, str]]:
    with open(CONFUSIONS_FILE, encoding="utf-8") as handle:
        pairs = {row["read_as"]: row["meant"] for row in csv.DictReader(handle)}
    return re.compile("|".join(map(re.escape, sorted(pairs, key=len, reverse=True)))), pairs


def corrected(text: str) -> str:
    """A recognised line with known look-alike misreadings put right (same length, so positions hold)."""
    pattern, pairs = _confusions()
    text = pattern.sub(lambda m: pairs[m.group()], text)
    return _LETTER_IN_NUMBER.sub(lambda m: m.group().translate(_AS_DIGIT), text)


def engine_version() -> str:
    """Part of the parse-cache key: another engine or model reads differently."""
    return f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}"


def page_timeout_s() -> float:
    return float(os.environ.get("ZHIJIAO_OCR_PAGE_TIMEOUT_S", "90"))


# A page whose OCR ran out of time: the machine's doing, not the file's, so it is read again later.
TIMEOUT_STATUS = "ocr_timeout"


class OcrTimeout(Exception):
    pass


@dataclass
class OcrPage:
    """What OCR made of one page: its chars, and whether it was read, failed or ran out of time."""

    page: int
    status: str = "read"  # read | ocr_failed | ocr_timeout
    reason: str = ""
    chars: list[dict] = field(default_factory=list)
    score: float = 1.0  # the recognition score of the lines kept, averaged over their characters
    seconds: float = 0.0


@lru_cache(maxsize=1)
def _engine():
    """One engine per process (a parse worker keeps it for every file it takes)."""
    from rapidocr_onnxruntime import RapidOCR

    # One thread each: the parse pool already runs a worker per core.
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, print_verbose=False,
                    rec_batch_num=1)


def regions_to_read(images: list[dict], chars: list[dict], width: float, height: float) -> list[tuple]:
    """(x0, top, x1, bottom) of the images large enough to hold text and with no text layer over them."""
    regions = []
    for image in images:
        x0, top = max(0.0, image["x0"]), max(0.0, image["top"])
        x1, bottom = min(width, image["x1"]), min(height, image["bottom"])
        w, h = x1 - x0, bottom - top
        if w < MIN_IMAGE_SIDE_PT or h < MIN_IMAGE_SIDE_PT / 3 or w * h < MIN_IMAGE_SHARE * width * height:
            continue
        inside = sum(1 for c in chars
                     if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)
        if inside < 10:  # a scan with its own (invisible) text layer is read by that layer
            regions.append((x0, top, x1, bottom))
    return _outermost(regions)


def _outermost(regions: list[tuple]) -> list[tuple]:
    """An image inside another (a scan's strips, a stamp on a page) is read with it."""
    def within(a, b):
        return a is not b and a[0] >= b[0] - 1 and a[1] >= b[1] - 1 and a[2] <= b[2] + 1 and a[3] <= b[3] + 1

    return [r for r in regions if not any(within(r, other) for other in regions)]


class PageReader:
    """Renders image regions of a PDF's pages with pdfium and reads them. Opened on first use."""

    def __init__(self, path: Path):
        self.path = path
        self._document = None

    def close(self) -> None:
        if self._document is not None:
            self._document.close()

    def read(self, number: int, regions: list[tuple], skip_chars: list[dict]) -> OcrPage:
        """OCR of page `number` (from 1) within `regions`; never raises for the page's content."""
        result = OcrPage(number)
        started = time.monotonic()
        deadline = started + page_timeout_s()
        try:
            for region in regions:
                result.chars.extend(self._region(number, region, deadline))
            result.chars = [c for c in result.chars if not _covered(c, skip_chars)]
            if result.chars:
                result.score = sum(c["ocr_score"] for c in result.chars) / len(result.chars)
        except OcrTimeout:
            result.status, result.chars = TIMEOUT_STATUS, []
            result.reason = (f"page {number} ({TIMEOUT_STATUS}): OCR took longer than {page_timeout_s():g} s and "
                             "was stopped; the page's figures are missing. Raise "
                             "ZHIJIAO_OCR_PAGE_TIMEOUT_S, or ask for the born-digital PDF.")
        except MemoryError:
            raise
        except Exception as exc:  # a bad image or an engine failure costs this page, not the file
            result.status, result.chars = "ocr_failed", []
            failure = f"{type(exc).__name__}: {str(exc)[:120]}"
            result.reason = (f"page {number} (ocr_failed): OCR failed ({failure}); the page's figures are "
                             "missing. Ask for the born-digital PDF, or report the file.")
        result.seconds = round(time.monotonic() - started, 2)
        return result

    def _region(self, number: int, region: tuple, deadline: float) -> list[dict]:
        import pypdfium2 as pdfium

        if self._document is None:
            self._document = pdfium.PdfDocument(str(self.path))
        page = self._document[number - 1]
        try:
            width, height = page.get_width(), page.get_height()
            x0, top, x1, bottom = region
            scale = min(RENDER_DPI / 72, MAX_RENDER_SIDE_PX / max(x1 - x0, bottom - top))
            bitmap = page.render(scale=scale, crop=(x0, height - bottom, width - x1, top))
            image = bitmap.to_numpy().copy()  # BGR, as OpenCV has it
            bitmap.close()
        finally:
            page.close()
        lines = [line for line in recognise(image, deadline) if line.score >= MIN_LINE_SCORE]
        return _chars(lines, x0, top, scale)


@dataclass
class _Recognised:
    box: list[list[float]]  # four corners in the image's pixels, clockwise from top left
    text: str
    score: float
    ink: float  # height of the ink across the line, in pixels


def recognise(image, deadline: float) -> list[_Recognised]:
    """Each text line of a BGR image, its look-alike misreadings put right. Detection runs on a
    reduced copy; recognition on crops of the full image, a chunk at a time, checking the deadline."""
    import cv2
    import numpy as np

    engine = _engine()
    h, w = image.shape[:2]
    ratio = min(1.0, DETECT_SIDE_PX / max(h, w))
    small = cv2.resize(image, (round(w * ratio), round(h * ratio))) if ratio < 1 else image
    boxes, _ = engine.text_det(small)
    if boxes is None or len(boxes) == 0:
        return []
    boxes = [np.asarray(b, dtype=np.float32) / ratio for b in engine.sorted_boxes(boxes)]
    _check(deadline)
    crops = engine.get_crop_img_list(image, boxes)
    lines = []
    for start in range(0, len(crops), REC_CHUNK):
        _check(deadline)
        recognised, _ = engine.text_rec(crops[start:start + REC_CHUNK])
        for box, crop, (text, score, *_rest) in zip(boxes[start:start + REC_CHUNK],
                                                     crops[start:start + REC_CHUNK], recognised):
            if text.strip():
                lines.append(_Recognised(box.tolist(), corrected(text), float(score), _ink_height(crop, box)))
    return lines


def _ink_height(crop, box) -> float:
    """Rows of the line's crop that hold ink (Otsu's threshold), or the box's height for a crop
    that was turned upright (vertical text) or holds no clear ink."""
    import cv2
    import numpy as np

    box_height = float(np.linalg.norm(box[3] - box[0]))
    if crop.shape[0] > crop.shape[1] or crop.size == 0:
        return box_height
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.mean(axis=1) > INK_ROW_SHARE)
    return float(rows[-1] - rows[0] + 1) if len(rows) >= 2 else box_height


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise OcrTimeout


def _tilt(lines: list[_Recognised]) -> float:
    """The scan's rotation (radians), from the top edges of its wide text boxes."""
    angles = []
    for line in lines:
        (ax, ay), (bx, by), _, (_, dy) = line.box
        if bx - ax > 4 * abs(dy - ay) and len(line.text) >= 4:
            angles.append(math.atan2(by - ay, bx - ax))
    angles.sort()
    return angles[len(angles) // 2] if angles else 0.0


def _chars(lines: list[_Recognised], x0: float, top: float, scale: float) -> list[dict]:
    """Each recognised line as chars in page coordinates, set straight (the scan's tilt undone) and
    spread over its box by width (a Han character an em, a digit or letter about half)."""
    angle = _tilt(lines)
    cos, sin = math.cos(-angle), math.sin(-angle)
    # about the text's middle, so the straightened lines stay where they were
    cx = sum(p[0] for line in lines for p in line.box) / (4 * len(lines) or 1)
    cy = sum(p[1] for line in lines for p in line.box) / (4 * len(lines) or 1)
    placed = []
    for line in lines:
        points = [(cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)
                  for px, py in line.box]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        placed.append((min(xs), max(xs), min(ys), max(ys), line))
    body = statistics.median(line.ink for line in lines) if lines else 0.0
    chars = []
    for left, right, upper, lower, line in placed:
        text, score, ink = line.text, line.score, line.ink
        # Ink height varies by a pixel or two with the glyphs; lines near the common height are body
        # text of one size, so paragraphs and headings are told apart as on a born-digital page.
        if abs(ink - body) <= SAME_SIZE_SHARE * body:
            ink = body
        size = ink / scale / INK_PER_FONT_SIZE
        middle = top + (upper + lower) / 2 / scale
        shares = [NARROW_SHARE if ord(ch) < 0x2E80 else 1.0 for ch in text]
        step = (right - left) / scale / (sum(shares) or 1)
        x = x0 + left / scale
        for ch, share in zip(text, shares):
            advance = share * step
            if not ch.isspace():
                chars.append({
                    "text": ch, "x0": x, "x1": x + advance, "top": middle - size / 2,
                    "bottom": middle + size / 2, "doctop": middle - size / 2, "upright": True, "size": size,
                    "ocr_score": score,
                })
            x += advance
    return chars


def _covered(char: dict, text_chars: list[dict]) -> bool:
    """Whether a recognised char lies on text the page's own layer holds (a caption over a picture)."""
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(c["x0"] - 1 <= cx <= c["x1"] + 1 and c["top"] - 1 <= cy <= c["bottom"] + 1 for c in text_chars)
