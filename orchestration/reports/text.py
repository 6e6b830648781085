"""Text normalisation shared by the parser and the extraction rules."""

from __future__ import annotations

import re
from functools import lru_cache

# Full-width digits and the few symbols that appear inside numbers (１２．５％).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，：", "0123456789.%,:")
_FULLWIDTH_NUMERIC = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’《》【】（）"
# A space between a CJK character and anything that is not a letter or digit run on the
# other side is layout, not content: "2023 年" → "2023年", "招生 18081 人" → "招生18081人".
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[\S])")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=[\S])[ \t\u00a0\u3000]+(?=[{_CJK}])")


# A full-width comma between digits and a group of exactly three is a thousands separator
# ("教职工3，874人"), not the end of a clause: the same length, so offsets hold.
_FULLWIDTH_THOUSANDS = re.compile(r"(?<=(?<![\d.])\d)，(?=\d{3}(?![\d]))|(?<=(?<![\d.])\d\d)，(?=\d{3}(?!\d))|(?<=(?<![\d.])\d\d\d)，(?=\d{3}(?!\d))")


def squeezed(text: str) -> str:
    """Text without white space: words copied from a page match however its lines broke."""
    return "".join(str(text).split())


def normalise_numerals(text: str) -> str:
    """Full-width digits, percent and decimal point to ASCII, and a full-width thousands separator to
    a comma; other punctuation is kept."""
    return _FULLWIDTH_THOUSANDS.sub(",", text.translate(_FULLWIDTH_NUMERIC))


def normalise_spacing(text: str) -> str:
    """Drop layout spaces next to CJK characters; keep spaces between numbers."""
    text = _SPACE_AFTER_CJK.sub("", text)
    return _SPACE_BEFORE_CJK.sub("", text)


# Glyph gaps inside a number: "88 .5%", "18. 375万元", "10.2 85万元".
_SPLIT_DECIMAL = re.compile(r"(?<=\d)\s+(?=\.\d)|(?<=\d\.)\s+(?=\d)|(?<=\d\.\d)\s+(?=\d+\s*[万亿%％人元个册所])")


@lru_cache(maxsize=8192)  # paragraph building and the rules clean the same line or cell again and again
def clean(text: str) -> str:
    return normalise_spacing(_SPLIT_DECIMAL.sub("", normalise_numerals(text))).strip()


def is_cjk(char: str) -> bool:
    return bool(char) and re.match(rf"[{_CJK}]", char) is not None


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of a wrapped line: no space where either side is CJK."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    if (left[-1].isdigit() and right[0] in ".%‰") or (left[-1] == "." and right[0].isdigit()):
        return left + right
    if re.search(r"\d[,，]$", left) and re.match(r"\d{3}(?!\d)", right) or left[-1].isdigit() and re.match(
            r"[,，]\d{3}(?!\d)", right):
        return left + right  # a line broken at a thousands separator ("起薪2" / ",950元")
    if left[-1].isdigit() and right[0].isdigit() and is_cjk(right[1:2] or "x") is False and " " in left[-6:]:
        return left + " " + right  # two numbers of a Latin-style list
    if left[-1].isdigit() and right[0].isdigit():
        return left + right  # CJK text wraps anywhere, even inside a number ("202" / "3年")
    return left + ("" if left.endswith((" ", "-")) else " ") + right
