"""Imported by the parse workers' fork server only (workers.parse_workers_context), never by the
process that starts it. What a parse does once per process (the stand-in CJK font pdfium measures
with, the catalog's patterns, place names and school aliases) is done here once, so every worker
forked from the server starts with it: a worker paid ~0.6 s for it on its first file, and the pool
replaces each worker after max_tasks files."""

from __future__ import annotations

import gc

from ..extraction.documents import report_meta
from ..extraction.extract import extract_report
from ..reports.model import ParsedReport, TableBlock, TextBlock
from ..reports.pdfium_fonts import install_cjk_stand_in

_TEXT = "河南省新乡市延津县职业中等专业学校2023年全日制在校生4300人，专任教师290人，就业率98.1%。"


def warm() -> None:
    """Extract a small report held in memory: it loads what extraction loads lazily, by its own paths."""
    install_cjk_stand_in()
    parsed = ParsedReport(
        sha256="0" * 64, page_count=1, title="延津县职业中等专业学校质量年度报告（2024年）",
        blocks=[TextBlock(_TEXT, "paragraph", [(0, 1)])],
        tables=[TableBlock(1, [["指标", "2023年"], ["全日制在校生人数", "4300"]], "ruled")],
        front_text=_TEXT,
    )
    extract_report(parsed, "warm.pdf", meta=report_meta(parsed, "warm.pdf"), include_components=True)


try:
    warm()
except Exception:  # noqa: BLE001 - a worker then loads what it needs itself, as it would without this
    pass

# What the server holds stays out of the workers' collections: a collection that visits an inherited
# object writes to its page, and the worker then copies that page (gc.freeze's documented use).
gc.freeze()
