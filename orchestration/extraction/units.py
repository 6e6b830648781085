"""Numbers as printed (4.51万人, 1,302人, 11.49:1, 97.8%) → values in the catalog's canonical unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# 约/近/超过 before, 余/多/以上/左右 after: the number is kept and marked approximate.
APPROX_BEFORE = ("约", "近", "超过", "逾", "大约")
APPROX_AFTER = ("余", "多", "以上", "左右")

QUANTITY = re.compile(
    # A minus sign counts only where it cannot be a range dash ("10-20人") or a year span.
    r"(?P<sign>(?<![0-9A-Za-z.\-−])[-−])?"
    # "师生比1:19.8": a ratio written teacher-first; the students per teacher follow the colon.
    r"(?P<inverted>(?<![\d.:：∶])1\s*[:：∶]\s*(?=\d+(?:\.\d+)?(?![\d.]*\s*[:：∶])))?"
    # Thousands separated by commas, or by a lone space ("1 256人", a layout gap).
    r"(?P<num>(?<![\d.])\d{1,3}(?:(?:[,，]| (?=\d{3}(?![\d.])))\d{3})+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?)"
    r"(?P<ratio>\s*[:：∶]\s*1(?![\d.]))?"
    r"\s*(?P<scale>万|亿)?(?P<approx>余|多)?"
    r"(?P<unit>人次|人|名|所|个|册|元|次|项|家|%|％|‰)?"
    r"(?P<per>\s*/\s*(?:生|人|月))?"
)

# Printed unit (scale + unit + per) → (canonical unit, factor) for every unit the catalog uses.
CONVERSIONS: dict[str, dict[str, float]] = {
    "人": {"人": 1, "名": 1, "万人": 1e4, "万名": 1e4},
    "人次": {"人次": 1, "万人次": 1e4, "人": 1, "万人": 1e4},
    "所": {"所": 1},
    "个": {"个": 1, "万个": 1e4, "项": 1},
    "册": {"册": 1, "万册": 1e4},
    "万元": {"万元": 1, "亿元": 1e4, "元": 1e-4},
    "元": {"元": 1, "元/生": 1, "元/人": 1, "元/月": 1, "万元": 1e4, "万元/生": 1e4, "万元/人": 1e4},
    "元/生": {"元/生": 1, "元/人": 1, "元": 1, "万元/生": 1e4, "万元/人": 1e4, "万元": 1e4},
    "个/生": {"个/生": 1, "个/人": 1, "个": 1, "": 1},
    "册/生": {"册/生": 1, "册/人": 1, "册": 1, "": 1},
    "%": {"%": 1, "‰": 0.1},
    "学生数/教师": {":1": 1, "": 1},
}


@dataclass(frozen=True)  # shared by every caller of find_quantities on the same text
class Quantity:
    start: int
    end: int
    number: float
    printed: str  # the number exactly as it stands in the text
    unit: str  # scale + unit + per, e.g. "万人", "元/生", ":1", "%", ""
    approximate: bool


def parse_number(text: str) -> float:
    return float(text.replace(",", "").replace("，", "").replace(" ", ""))


def find_quantities(text: str) -> list[Quantity]:
    return list(_quantities(text))


# The rules read the quantities of a sentence, its clauses and each figure's surroundings again and
# again: ~20 reads per distinct text.
@lru_cache(maxsize=4096)
def _quantities(text: str) -> tuple[Quantity, ...]:
    out = []
    for m in QUANTITY.finditer(text):
        unit = ""
        if m.group("ratio") or m.group("inverted"):
            unit = ":1"
        else:
            unit = (m.group("scale") or "") + (m.group("unit") or "").replace("％", "%")
            if m.group("per"):
                unit += "/" + m.group("per").strip().lstrip("/").strip()
        approx = bool(m.group("approx")) or text[max(0, m.start() - 2) : m.start()].endswith(APPROX_BEFORE)
        approx = approx or text[m.end() : m.end() + 2].startswith(APPROX_AFTER)
        sign = -1 if m.group("sign") else 1
        printed = (m.group("sign") or "") + m.group("num")
        out.append(Quantity(m.start(), m.end(), sign * parse_number(m.group("num")), printed, unit, approx))
    return tuple(out)


def to_canonical(number: float, printed_unit: str, canonical_unit: str) -> float | None:
    """Value in the canonical unit, or None when the printed unit does not fit the indicator."""
    table = CONVERSIONS.get(canonical_unit)
    if table is None or printed_unit not in table:
        return None
    return round(number * table[printed_unit], 6)


def parse_cell(cell: str) -> Quantity | None:
    """A table cell holding one number ("97.78%", "15.3:1", "1,302")."""
    found = find_quantities(cell)
    if len(found) != 1:
        return None
    q = found[0]
    rest = (cell[: q.start] + cell[q.end :]).strip(" +")
    if rest and rest not in APPROX_BEFORE + APPROX_AFTER:
        return None
    return q
