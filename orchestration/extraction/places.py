"""Place names in running text: each mention with every division it can name, and the
document's place signals that decide between them (about 30 county names repeat across China:
鼓楼区, 朝阳区, 城关区 …).

Names and their official short forms are derived from the admin_divisions seed (built from cpca):
full names, cpca's own abbreviations (广东, 内蒙古) and the short form of autonomous divisions
that drops the peoples' names (红河哈尼族彝族自治州 → 红河州).
"""

from __future__ import annotations

import importlib.resources
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from cpca.matcher import Matcher

from .divisions import Division, divisions

# cpca's abbreviation rule for provinces and cities (省/市/自治区 dropped); counties keep their suffix.
ABBREVIATED_SUFFIX = re.compile(r"(?:[省市]|特别行政区|自治区)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # as written
    codes: tuple[str, ...]  # every division the name can stand for, narrowed by an adjacent parent


def contains(parent: str, code: str) -> bool:
    """Whether division `code` lies in (or is) division `parent`."""
    if parent.endswith("0000"):
        return code[:2] == parent[:2]
    if parent.endswith("00"):
        return code[:4] == parent[:4]
    return code == parent


def grouping(code: str) -> bool:
    """A city-level code that only groups counties (北京市市辖区, 重庆市县, 河南省省直辖县级行政区划)."""
    div, province = divisions().get(code), divisions().get(code[:2] + "0000")
    return bool(div and province and div.level == "city" and div.name.startswith(province.name))


def ancestors(code: str) -> list[str]:
    """The division's own code, then its city and province (those that exist and are real divisions)."""
    out = [code, code[:4] + "00", code[:2] + "0000"]
    return [c for i, c in enumerate(out) if c in divisions() and c not in out[:i] and not grouping(c)]


@lru_cache(maxsize=1)
def _peoples() -> str:
    text = (importlib.resources.files("cpca") / "resources" / "56_nations.csv").read_text(encoding="utf-8")
    names = sorted({line.strip() for line in text.splitlines() if line.strip()}, key=len, reverse=True)
    return "|".join(map(re.escape, names))


def names_of(div: Division) -> set[str]:
    """The full name and the official short forms a division is written with."""
    names = {div.name}
    if div.level != "county":
        names.add(Matcher.special_abbre.get(div.name) or ABBREVIATED_SUFFIX.sub("", div.name))
    autonomous = re.fullmatch(rf"(.{{2,}}?)(?:{_peoples()})+自治([州县旗])", div.name)
    if autonomous:
        names.add(autonomous.group(1) + autonomous.group(2))
    # Two-character names (城区, 矿区, 郊区) and 市辖区 are ordinary words, not names.
    return {n for n in names if len(n) >= 2 and not (len(n) == 2 and n.endswith("区")) and n != "市辖区"}


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    index: dict[str, list[str]] = {}
    for div in divisions().values():
        if grouping(div.code):
            continue
        for name in names_of(div):
            index.setdefault(name, []).append(div.code)
    automaton = ahocorasick.Automaton()
    for name, codes in index.items():
        automaton.add_word(name, (name, tuple(sorted(codes))))
    automaton.make_automaton()
    return automaton


def mentions(text: str) -> list[Mention]:
    """Place names in the text, longest first where they overlap; a name right after its
    parent keeps only the divisions inside that parent (福州市鼓楼区 → 350102)."""
    return list(_mentions(text))


@lru_cache(maxsize=4096)  # each sentence and clause is asked about its places ~12 times
def _mentions(text: str) -> tuple[Mention, ...]:
    found = sorted(((end - len(name) + 1, end + 1, name, codes) for end, (name, codes) in _automaton().iter(text)),
                   key=lambda m: (m[0], -m[1]))
    out: list[Mention] = []
    for start, end, name, codes in found:
        if out and start < out[-1].end or _inside_word(text, start, name):
            continue
        if out and out[-1].end == start and len(out[-1].codes) == 1:
            inside = tuple(c for c in codes if contains(out[-1].codes[0], c) and c != out[-1].codes[0])
            codes = inside or codes
        out.append(Mention(start, end, name, codes))
    return tuple(out)


def _inside_word(text: str, start: int, name: str) -> bool:
    """A two-character county name inside a longer word (示范县 is not 范县)."""
    return len(name) == 2 and name[-1] in "县旗" and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" \
        and text[start - 1] not in "省市州盟"


def leading_chain(found: list[Mention]) -> list[Mention]:
    """The first place named and the places written right after it (四川省南充市…)."""
    chain = found[:1]
    for m in found[1:]:
        if m.start != chain[-1].end:
            break
        chain.append(m)
    return chain


def signals(text: str) -> Counter:
    """How often each division (with its city and province) is named unambiguously."""
    counts: Counter = Counter()
    for m in mentions(text):
        if len(m.codes) == 1:
            counts.update(ancestors(m.codes[0]))
    return counts


def choose(codes: tuple[str, ...], evidence: Counter) -> str | None:
    """The one division the evidence points to, or None when it does not single one out."""
    if len(codes) == 1:
        return codes[0]
    scores = {c: sum(evidence[a] for a in ancestors(c)) for c in codes}
    best = max(scores.values())
    winners = [c for c, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def common_area(codes: tuple[str, ...]) -> str:
    """The most specific division every candidate lies in ("" when they span provinces)."""
    for level_code in (lambda c: c[:4] + "00", lambda c: c[:2] + "0000"):
        shared = {level_code(c) for c in codes}
        if len(shared) == 1 and next(iter(shared)) in divisions() and not grouping(next(iter(shared))):
            return next(iter(shared))
    return ""


def ambiguity_note(m: Mention) -> str:
    parents = "、".join(divisions()[ancestors(c)[1]].name for c in m.codes if len(ancestors(c)) > 1)
    return f"{m.name} names {len(m.codes)} divisions ({parents}); no city or province in the text decides between them"
