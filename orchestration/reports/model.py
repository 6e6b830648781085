"""The parsed form of one report: plain data, JSON-serialisable so it can be cached by sha256."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field


@dataclass
class TextBlock:
    """A paragraph or heading, re-joined across line and page breaks."""

    text: str
    kind: str  # "paragraph" | "heading"
    # (character offset, page number) where each page's part of the text starts.
    page_starts: list[tuple[int, int]]

    def page_at(self, offset: int) -> int:
        i = bisect.bisect_right([o for o, _ in self.page_starts], offset) - 1
        return self.page_starts[max(i, 0)][1]

    @property
    def page(self) -> int:
        return self.page_starts[0][1]


@dataclass
class TableBlock:
    page: int
    rows: list[list[str]]
    method: str  # "ruled" | "borderless" | "ocr" (rebuilt from text read off a picture)
    top: float = 0.0
    caption: str = ""  # the line right above the table, when it is short enough to be one
    # A borderless table's column starts, and whether it runs to the foot of its page (it may go
    # on at the top of the next one, without its header: the next page is split at these starts).
    column_starts: list[float] = field(default_factory=list)
    ends_page: bool = False
    ocr_score: float | None = None  # the OCR's lowest line score, for a table read off a picture


@dataclass
class ParsedReport:
    sha256: str
    page_count: int
    title: str
    blocks: list[TextBlock] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    # Text of the first pages (cover and preface), for metadata detection.
    front_text: str = ""
    dropped_lines: int = 0  # running headers, footers and page numbers removed
    # Pages (or pictures on them) read by OCR: page, status (read | ocr_failed | ocr_timeout), reason,
    # score, seconds, and whether the page's prose came from it.
    ocr_pages: list[dict] = field(default_factory=list)

    def ocr_prose_score(self, page: int) -> float | None:
        """The OCR score of a page whose prose was read off a picture, else None."""
        return next((p["score"] for p in self.ocr_pages if p["page"] == page and p["prose"]), None)

    def ocr_problems(self) -> list[str]:
        return [p["reason"] for p in self.ocr_pages if p["status"] != "read"]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedReport":
        data = dict(data)
        data["blocks"] = [
            TextBlock(b["text"], b["kind"], [tuple(p) for p in b["page_starts"]]) for b in data["blocks"]
        ]
        data["tables"] = [TableBlock(**t) for t in data["tables"]]
        return cls(**data)

    @property
    def char_count(self) -> int:
        return sum(len(b.text) for b in self.blocks) + sum(
            len(c or "") for t in self.tables for r in t.rows for c in r
        )
