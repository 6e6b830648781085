"""Each font's descent as pdfminer declares it, read from the PDF's font dictionaries.

The fast reader places a char's box from the baseline less its font's descent, as pdfminer does.
Building pdfminer's font objects for that parses each font's CMap and embedded program, a sixth of
a small report's parse; the descent itself is one number in the font descriptor (or in the
standard-14 metrics). Fonts whose descent needs more (Type3's font matrix, nested Type0) are
still asked of pdfminer, so the value is pdfminer's in every case.
"""

from __future__ import annotations

import re

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import dict_value, list_value, num_value
from pdfminer.psparser import literal_name

_CID_FONTS = ("CIDFontType0", "CIDFontType2")
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


def _subtype(spec) -> str:
    return literal_name(spec["Subtype"]) if "Subtype" in spec else "Type1"  # pdfminer's default


def _descriptor(spec) -> dict | None:
    """The dictionary pdfminer reads Descent from, or None where pdfminer computes it otherwise."""
    subtype = _subtype(spec)
    if subtype == "Type0":
        spec = dict_value(list_value(spec["DescendantFonts"])[0])
        subtype = _subtype(spec)
        if subtype not in _CID_FONTS:
            return None
    if subtype in _CID_FONTS:
        return dict_value(spec.get("FontDescriptor", {}))
    if subtype == "Type3":
        return None  # descent from the glyph box and font matrix
    # Type1, MMType1, TrueType and any other subtype pdfminer reads as Type1: standard-14 metrics first.
    base = literal_name(spec["BaseFont"]) if "BaseFont" in spec else "unknown"
    if base in FONT_METRICS:
        return FONT_METRICS[base][0]
    return dict_value(spec.get("FontDescriptor", {}))


def _declared_descent(spec) -> float | None:
    descriptor = _descriptor(spec)
    if descriptor is None:
        return None
    descent = num_value(descriptor.get("Descent", 0))
    return (-descent if descent > 0 else descent) * 0.001  # pdfminer: always below the baseline


class DeclaredDescents:
    """One document's fonts: `of_page(page)` gives a pdfplumber page's fonts' descents per point of
    size, by base font name without subset prefix (None where two fonts of one name differ)."""

    def __init__(self):
        self._by_object: dict[object, float] = {}
        self._pdfminer = PDFResourceManager(caching=True)

    def _descent(self, ref, spec) -> float:
        key = getattr(ref, "objid", None)
        if key is not None and key in self._by_object:
            return self._by_object[key]
        try:
            descent = _declared_descent(spec)
        except Exception:  # noqa: BLE001 - a malformed dictionary: pdfminer says what it makes of it
            descent = None
        if descent is None:
            descent = self._pdfminer.get_font(key, spec).get_descent()
        if key is not None:
            self._by_object[key] = descent
        return descent

    def of_page(self, page) -> dict[str, float | None]:
        descents: dict[str, float | None] = {}
        try:
            for ref in dict_value(page.page_obj.resources.get("Font") or {}).values():
                spec = dict_value(ref)
                descent = self._descent(ref, spec)
                names = [spec.get("BaseFont")] + [
                    dict_value(d).get("BaseFont") for d in list_value(spec.get("DescendantFonts") or [])]
                for name in {_SUBSET_PREFIX.sub("", literal_name(n)) for n in names if n is not None}:
                    descents[name] = descent if descents.get(name, descent) == descent else None
        except Exception:  # unusual font resources: pdfplumber reads the page
            return {}
        return descents
