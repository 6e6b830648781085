"""Comments for the published DuckDB, from the dbt models' descriptions (Chinese and English), so
`zhijiao describe`, the duckdb CLI and any SQL client explain each table and column."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..paths import DBT_PROJECT_DIR


@dataclass
class TableComments:
    table: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def published_comments(tables: list[str]) -> dict[str, TableComments]:
    """Each table's model description and column descriptions, as written in its dbt .yml."""
    out = {}
    for table in tables:
        path = DBT_PROJECT_DIR / "models" / "marts" / f"{table}.yml"
        model = next(m for m in yaml.safe_load(path.read_text(encoding="utf-8"))["models"] if m["name"] == table)
        out[table] = TableComments(model.get("description", "").strip(),
                                   {c["name"]: c["description"].strip() for c in model.get("columns", []) if c.get("description")})
    return out
