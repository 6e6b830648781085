"""Pages read with pdfium (pypdfium2): chars and ruling edges, an order of magnitude faster than pdfminer.

`page(i)` returns a `PdfiumPage` whose `chars` and `edges` have the keys pdfplumber's own table
finder and text-line grouping use, with pdfminer's geometry (a char box is one font size tall), so
pdfplumber's algorithms run on it unchanged and give the same tables and lines. Anything unusual
(rotated text, glyphs without a Unicode mapping, nested forms, shadings) returns None, and
pdfplumber reads that page itself.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .pdfium_fonts import install_cjk_stand_in

# Nested or painted content that only pdfminer's interpreter reads the way pdfplumber expects.
_UNSUPPORTED_OBJECTS = {raw.FPDF_PAGEOBJ_SHADING, raw.FPDF_PAGEOBJ_FORM}


def _unchecked(function, restype=ctypes.c_int):
    """The same pdfium function without pypdfium2's argument types, for the calls made once per char:
    with ctypes handles and plain ints ctypes converts nothing, a third of the cost of a checked call.
    Only for functions whose arguments are pointers and C ints."""
    unchecked = ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)
    unchecked.argtypes = None
    return unchecked


_IS_GENERATED = _unchecked(raw.FPDFText_IsGenerated)
_GET_UNICODE = _unchecked(raw.FPDFText_GetUnicode, ctypes.c_uint)
_HAS_UNICODE_MAP_ERROR = _unchecked(raw.FPDFText_HasUnicodeMapError)
_GET_CHAR_ORIGIN = _unchecked(raw.FPDFText_GetCharOrigin)
_GET_TEXT_OBJECT = _unchecked(raw.FPDFText_GetTextObject, ctypes.c_void_p)  # an address, or None
_GET_TEXT = _unchecked(raw.FPDFText_GetText)
# pdfium's text buffer has U+FFFE where a line-end hyphen joins two lines; the char itself has 0x2.
_HYPHEN_MARK = 0xFFFE
_INFERRED = frozenset(" \r\n")


@dataclass
class _Blank:
    """A text object drawing one blank glyph, at its origin."""

    font: object
    font_name: str
    x: float
    y: float
    size: float
    read: bool = False


@dataclass
class PdfiumPage:
    """The slice of pdfplumber's Page interface that table finding and line grouping use."""

    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)  # bounds of image objects, as pdfplumber's page.images

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


class FastPageReader:
    """One open pdfium document; `page(i)` for each page, then `close()`."""

    def __init__(self, path: Path, page_count: int):
        install_cjk_stand_in()
        self.document = pdfium.PdfDocument(str(path))
        if len(self.document) != page_count:
            # The two readers disagree about the file's structure: let pdfplumber read it all.
            self.close()
            raise ValueError("page count differs between readers")
        self._matrix = raw.FS_MATRIX()
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._fx, self._fy = ctypes.c_float(), ctypes.c_float()
        self._name = ctypes.create_string_buffer(256)
        self._bounds = tuple(ctypes.c_float() for _ in range(4))
        self._widths: dict[tuple, dict[int, float]] = {}

    def close(self) -> None:
        self.document.close()

    def page(self, index: int, descents: dict[str, float | None]) -> PdfiumPage | None:
        """`descents`: each font's declared descent per point of size, by base font name (None: ambiguous)."""
        page = self.document[index]
        try:
            result = PdfiumPage(page.get_width(), page.get_height())
            handle = page.raw
            blanks: list[_Blank] = []
            for i in range(raw.FPDFPage_CountObjects(handle)):
                obj = raw.FPDFPage_GetObject(handle, i)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind in _UNSUPPORTED_OBJECTS:
                    return None
                if kind == raw.FPDF_PAGEOBJ_PATH:
                    result.edges.extend(self._edges(obj, result.height))
                elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                    result.images.extend(self._image(obj, result.height))
                elif kind == raw.FPDF_PAGEOBJ_TEXT:
                    if self._rotated(obj):
                        return None
                    if self._zero_width(obj):
                        # pdfium measures text by glyph outlines; a font it cannot find (not embedded,
                        # not installed, no stand-in) gives zero-width objects, whose chars its text
                        # page leaves out. An embedded font's blank glyph (a space on its own) is one
                        # too, and the text page has it as an inferred space.
                        blank = self._blank(obj)
                        if blank is None:
                            return None
                        blanks.append(blank)
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, result.height, descents, blanks)
            finally:
                textpage.close()
            if chars is None:
                return None
            result.chars = chars
            return result
        finally:
            page.close()

    def _chars(self, text, height: float, descents: dict[str, float | None],
               blanks: list[_Blank] = (), in_bulk: bool = True) -> list[dict] | None:
        x, y, width = self._x, self._y, self._fx
        at_x, at_y = ctypes.byref(x), ctypes.byref(y)
        is_generated, unicode_of, map_error = _IS_GENERATED, _GET_UNICODE, _HAS_UNICODE_MAP_ERROR
        origin_of, object_of = _GET_CHAR_ORIGIN, _GET_TEXT_OBJECT
        chars = []
        last_object, font, size, descent, widths = None, None, 0.0, 0.0, {}
        count = raw.FPDFText_CountChars(text)
        page_text = self._page_text(text, count) if in_bulk else ""
        for i in range(count):
            # pdfium infers only spaces and line breaks (CPDF_TextPage::GenerateCharInfo): any other
            # char of the page text is the content's own.
            generated = is_generated(text, i) if not page_text or page_text[i] in _INFERRED else 0
            if generated == 1:
                # Line breaks and spaces pdfium inferred, which pdfminer has not; but a blank glyph's
                # space is a char in the content, and pdfminer has it.
                blank = blanks and self._blank_at(text, i, blanks)
                if blank:
                    char = self._blank_char(blank, height, descents)
                    if char is None:
                        return None
                    chars.append(char)
                continue
            code = ord(page_text[i]) if page_text else unicode_of(text, i)
            if code == _HYPHEN_MARK:  # a hyphen pdfium joined across lines: its char says 0x2
                code = unicode_of(text, i)
            if generated < 0 or code < 32 or map_error(text, i) == 1:
                return None
            origin_of(text, i, at_x, at_y)
            address = object_of(text, i)
            if address != last_object:  # font and size are per text object
                if page_text and unicode_of(text, i) != code:  # the text is not char by char after all
                    for blank in blanks:
                        blank.read = False
                    return self._chars(text, height, descents, blanks, in_bulk=False)
                text_object = ctypes.cast(address, raw.FPDF_PAGEOBJECT) if address else None
                font = raw.FPDFTextObj_GetFont(text_object) if address else None
                descent = descents.get(self._font_name(font)) if font else None
                if descent is None:
                    return None
                size = raw.FPDFText_GetFontSize(text, i)
                widths = self._widths.setdefault((ctypes.cast(font, ctypes.c_void_p).value, size), {})
                last_object = address
            # The advance from the font's declared widths, as pdfminer has it (glyph outlines vary
            # with the fonts installed).
            advance = widths.get(code)
            if advance is None:
                if not raw.FPDFFont_GetGlyphWidth(font, code, size, width):
                    return None
                advance = widths[code] = width.value
            chars.append(_pdfminer_char(chr(code), x.value, advance, y.value, descent, size, height))
        if any(not blank.read for blank in blanks):
            return None  # a blank glyph the text page has no space for: pdfplumber reads the page
        return chars

    def _page_text(self, text, count: int) -> str:
        """The text page's chars in one call, one UTF-16 unit per char; "" where that does not hold
        (a char outside the BMP, a char the text buffer leaves out), and the chars are asked one by one."""
        buffer = (ctypes.c_uint16 * (count + 1))()
        written = _GET_TEXT(text, 0, count, buffer) - 1  # less the terminating zero
        page_text = bytes(buffer)[: 2 * max(written, 0)].decode("utf-16-le", "surrogatepass")
        return page_text if written == count == len(page_text) else ""

    def _blank(self, obj) -> _Blank | None:
        """A zero-width text object of an embedded font, upright and unscaled: a blank glyph."""
        font = raw.FPDFTextObj_GetFont(obj)
        m, size = self._matrix, self._fx
        if not font or not raw.FPDFFont_GetIsEmbedded(font) or not raw.FPDFTextObj_GetFontSize(obj, size):
            return None
        if not raw.FPDFPageObj_GetMatrix(obj, m) or abs(m.a - m.d) > 1e-6:
            return None
        return _Blank(font, self._font_name(font), m.e, m.f, size.value * m.d)

    def _blank_at(self, text, index: int, blanks: list[_Blank]) -> _Blank | None:
        """The blank glyph an inferred space stands for: a space at its origin."""
        if _GET_UNICODE(text, index) != 0x20:
            return None
        _GET_CHAR_ORIGIN(text, index, ctypes.byref(self._x), ctypes.byref(self._y))
        for blank in blanks:
            if not blank.read and abs(self._y.value - blank.y) < 0.01 and abs(self._x.value - blank.x) < 0.5:
                blank.read = True
                return blank
        return None

    def _blank_char(self, blank: _Blank, height: float, descents: dict[str, float | None]) -> dict | None:
        descent = descents.get(blank.font_name)
        # No width: the glyph is not the font's own space (a full-width blank), whose code pdfium
        # does not give; pdfplumber reads the page.
        width = self._fx
        if descent is None or not raw.FPDFFont_GetGlyphWidth(blank.font, 0x20, blank.size, width):
            return None
        if width.value <= 0:
            return None
        return _pdfminer_char(" ", blank.x, width.value, blank.y, descent, blank.size, height)

    def _rotated(self, obj) -> bool:
        m = self._matrix
        return not raw.FPDFPageObj_GetMatrix(obj, m) or abs(m.b) > 1e-6 or abs(m.c) > 1e-6 or m.a <= 0 or m.d <= 0

    def _zero_width(self, obj) -> bool:
        left, bottom, right, top = self._bounds
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return True
        return right.value - left.value < 0.01

    def _image(self, obj, height: float) -> list[dict]:
        left, bottom, right, top = self._bounds
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return []
        return [{"x0": left.value, "x1": right.value, "top": height - top.value, "bottom": height - bottom.value}]

    def _font_name(self, font) -> str:
        length = raw.FPDFFont_GetBaseFontName(font, self._name, len(self._name))
        return self._name.value.decode("latin-1") if length else ""

    def _edges(self, path, height: float) -> list[dict]:
        """Axis-parallel straight segments of a path, as pdfplumber edges in page coordinates."""
        m = self._matrix
        if not raw.FPDFPageObj_GetMatrix(path, m):
            return []
        fx, fy = self._fx, self._fy
        edges = []
        start = current = None
        for i in range(raw.FPDFPath_CountSegments(path)):
            segment = raw.FPDFPath_GetPathSegment(path, i)
            raw.FPDFPathSegment_GetPoint(segment, fx, fy)
            point = (m.a * fx.value + m.c * fy.value + m.e, height - (m.b * fx.value + m.d * fy.value + m.f))
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
                edges.extend(_edge(current, point))
            elif kind == raw.FPDF_SEGMENT_MOVETO:
                start = point
            current = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                edges.extend(_edge(current, start))
                current = start
        return edges


def _pdfminer_char(text: str, left: float, advance: float, baseline: float, descent: float, size: float,
                   height: float) -> dict:
    """A char as pdfplumber has it from pdfminer: its box from the baseline less the font's declared
    descent, one font size tall, in top-down page coordinates."""
    bottom = height - (baseline + descent * size)
    return {"text": text, "x0": left, "x1": left + advance, "top": bottom - size, "bottom": bottom,
            "doctop": bottom - size, "upright": True, "size": size}


def _edge(p0: tuple[float, float], p1: tuple[float, float]) -> list[dict]:
    (x0, y0), (x1, y1) = p0, p1
    if abs(x0 - x1) > 0.01 and abs(y0 - y1) > 0.01:
        return []  # slanted: never a table rule
    top, bottom = min(y0, y1), max(y0, y1)
    return [{
        "object_type": "line", "x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
        "doctop": top, "width": abs(x1 - x0), "height": bottom - top,
        "orientation": "v" if abs(x0 - x1) <= 0.01 else "h",
    }]
