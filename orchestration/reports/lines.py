"""pdfplumber's text-line grouping, `chars_to_textmap(chars, layout=False).extract_text_lines()`, in
one pass over the chars.

pdfplumber builds a dict per word, a (letter, char) tuple per letter and runs a regex over the page's
text to find its lines again; on a page of upright chars of one glyph each (every page the fast
reader gives, and most pdfplumber pages) the same steps reduce to sorting and comparing, at a
fraction of the cost. Anything else (rotated chars, pdfminer's multi-letter "(cid:N)" chars) goes to
pdfplumber itself. tests/test_lines.py holds the two to the same result.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES, chars_to_textmap


_X0, _X1, _TOP, _BOTTOM = itemgetter("x0"), itemgetter("x1"), itemgetter("top"), itemgetter("bottom")
_TEXT = itemgetter("text")
_LIGATURES = frozenset(LIGATURES)


def text_lines(chars: list[dict]) -> list[dict]:
    """Lines as pdfplumber's extract_text_lines(strip=True, return_chars=True) gives them: text, x0, top,
    x1, bottom and the chars of each (a ligature's char once per letter it expands to)."""
    if not chars:
        return []
    if not all(c["upright"] and len(c["text"]) == 1 for c in chars):
        return chars_to_textmap(chars, layout=False).extract_text_lines(strip=True, return_chars=True)
    words = [word for line in _char_lines(chars) for word in _words(line)]
    word_line = _clusters([min(map(_TOP, word)) for word in words], DEFAULT_Y_TOLERANCE)
    lines = []
    # Words cluster into lines by their tops, in the order found: consecutive runs of one cluster.
    for _, run in groupby(zip(words, word_line), key=lambda pair: pair[1]):
        texts, line_chars = [], []
        for word, _ in run:
            text = "".join(map(_TEXT, word))
            if _LIGATURES.isdisjoint(text):
                texts.append(text)
                line_chars.extend(word)
                continue
            letters = [(LIGATURES.get(c["text"], c["text"]), c) for c in word]
            texts.append("".join(text for text, _ in letters))
            line_chars.extend(c for text, c in letters for _ in text)
        lines.append({
            "text": " ".join(texts),
            "x0": min(map(_X0, line_chars)), "top": min(map(_TOP, line_chars)),
            "x1": max(map(_X1, line_chars)), "bottom": max(map(_BOTTOM, line_chars)),
            "chars": line_chars,
        })
    return lines


def _clusters(values: list[float], tolerance: float) -> list[int]:
    """Each value's cluster: distinct values in order, a new cluster past `tolerance` from the last
    (pdfplumber's cluster_list)."""
    index, last, of = -1, None, {}
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            index += 1
        of[value] = index
        last = value
    return [of[value] for value in values]


def _char_lines(chars: list[dict]):
    """Chars clustered by top, clusters top down, each left to right (both sorts stable)."""
    line_of = _clusters(list(map(_TOP, chars)), DEFAULT_Y_TOLERANCE).__getitem__
    for _, run in groupby(sorted(range(len(chars)), key=line_of), key=line_of):
        yield sorted(map(chars.__getitem__, run), key=_X0)


def _words(line: list[dict]) -> list[list[dict]]:
    """Runs of chars that touch: a blank char ends a word and belongs to none; a char left of the last
    one's start, past its end by the tolerance or off its top by the tolerance starts a new one."""
    words, word = [], []
    last_x0 = last_x1 = last_top = 0.0  # of the word's last char
    for c in line:
        if c["text"].isspace():
            if word:
                words.append(word)
                word = []
            continue
        x0, top = c["x0"], c["top"]
        if word and (x0 < last_x0 or x0 > last_x1 + DEFAULT_X_TOLERANCE
                     or abs(top - last_top) > DEFAULT_Y_TOLERANCE):
            words.append(word)
            word = []
        word.append(c)
        last_x0, last_x1, last_top = x0, c["x1"], top
    if word:
        words.append(word)
    return words
