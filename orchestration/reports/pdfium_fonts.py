"""A stand-in for non-embedded CJK fonts (STSong-Light, SimSun, …) when pdfium reads text.

pdfium measures every char's glyph outline while it loads a page and again for its text page. For
a CJK font that is not embedded it substitutes a system font, and loading CFF glyphs from a
Noto CJK collection costs ~5 µs per char, uncached: 10+ ms a page, most of the fast reader's time.
Without any CJK font installed, it finds nothing and its text page drops the chars.

We only take char origins (from the PDF's declared widths) and Unicode from pdfium, never glyph
shapes, so a one-glyph TrueType font built in memory serves every CJK charset: the same chars, a
tenth of the cost, and the same result whatever fonts the machine has. Other charsets go to
pdfium's default lookup, which also provides the widths of Latin fonts that declare none.
"""

from __future__ import annotations

import ctypes
import io
import threading
from pathlib import Path

import pypdfium2.raw as raw

# Windows charset codes pdfium passes to MapFont: GB2312, Big5, Shift-JIS, Hangul, Johab.
CJK_CHARSETS = {134, 136, 128, 129, 130}
_FACE_NAME = b"ZhijiaoCJKMetrics"
_HANDLE = 0x7A4A  # any non-null value: there is one stand-in font

# Built by build_stand_in_font() and shipped, so a process need not import fontTools and build it
# (0.2 s of every parse worker pool's start): `python -m orchestration.reports.pdfium_fonts` rewrites it.
STAND_IN_PATH = Path(__file__).with_name("cjk_metrics.ttf")

_lock = threading.Lock()
_installed: dict = {}


def build_stand_in_font() -> bytes:
    """One square glyph that every code point maps to (a many-to-one format 13 character map)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "box"])
    builder.setupCharacterMap({})
    many_to_one = CmapSubtable.newSubtable(13)
    many_to_one.platformID, many_to_one.platEncID, many_to_one.language = 3, 10, 0
    many_to_one.cmap = {code: "box" for code in range(0x20, 0x30000) if not 0xD800 <= code < 0xE000}
    builder.font["cmap"].tables = [many_to_one]
    glyphs = {}
    for name in (".notdef", "box"):
        pen = TTGlyphPen(None)
        pen.moveTo((0, -120))
        for point in ((0, 880), (1000, 880), (1000, -120)):
            pen.lineTo(point)
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 0) for name in glyphs})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": _FACE_NAME.decode(), "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.updateHead(created=0, modified=0)  # the same bytes on every build
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def install_cjk_stand_in() -> None:
    """Route pdfium's lookups for CJK charsets to the stand-in font, once per process."""
    with _lock:
        if _installed:
            return
        default = raw.FPDF_GetDefaultSystemFontInfo()
        if not default:
            return
        base = default.contents
        data = STAND_IN_PATH.read_bytes() if STAND_IN_PATH.exists() else build_stand_in_font()
        buffer = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)
        info_type = raw.FPDF_SYSFONTINFO

        def ours(handle) -> bool:
            return handle == _HANDLE

        def release(info):
            pass

        def enum_fonts(info, mapper):
            base.EnumFonts(default, mapper)

        def map_font(info, weight, italic, charset, pitch, face, exact):
            if charset in CJK_CHARSETS:
                return _HANDLE
            return base.MapFont(default, weight, italic, charset, pitch, face, exact)

        def get_font(info, face):
            return base.GetFont(default, face)

        def get_font_data(info, handle, table, out, size):
            if not ours(handle):
                return base.GetFontData(default, handle, table, out, size)
            if table != 0:
                return 0  # pdfium asks for the whole file (table 0) for a TrueType font
            if out and size >= len(data):
                ctypes.memmove(out, buffer, len(data))
            return len(data)

        def get_face_name(info, handle, out, size):
            if not ours(handle):
                return base.GetFaceName(default, handle, out, size)
            if out and size > len(_FACE_NAME):
                ctypes.memmove(out, _FACE_NAME + b"\0", len(_FACE_NAME) + 1)
            return len(_FACE_NAME) + 1

        def get_charset(info, handle):
            return 134 if ours(handle) else base.GetFontCharset(default, handle)

        def delete_font(info, handle):
            if not ours(handle):
                base.DeleteFont(default, handle)

        callbacks = [release, enum_fonts, map_font, get_font, get_font_data, get_face_name, get_charset, delete_font]
        info = info_type(1, *(kind(fn) for (_, kind), fn in zip(info_type._fields_[1:], callbacks)))
        raw.FPDF_SetSystemFontInfo(ctypes.byref(info))
        # pdfium keeps the pointers: the struct, callbacks and font bytes live as long as the process.
        _installed.update(info=info, buffer=buffer, default=default)


if __name__ == "__main__":
    STAND_IN_PATH.write_bytes(build_stand_in_font())
