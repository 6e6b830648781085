"""Column comments for the published DuckDB: Chinese indicator names and units for analysts."""

from __future__ import annotations

from ..extraction.catalog import load_catalog
from .dbt_codegen import WIDE_MARTS, indicator_description


def column_comments() -> dict[str, dict[str, str]]:
    catalog = load_catalog().published()
    out: dict[str, dict[str, str]] = {}
    for mart, (_, extra) in WIDE_MARTS.items():
        out[mart] = {col: text for col, _, text in extra}
        out[mart].update({ind.code: indicator_description(ind) for ind in catalog})
    return out
