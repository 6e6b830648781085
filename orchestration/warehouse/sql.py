"""SQL text for what DuckDB cannot bind as a parameter (names, COMMENT ON text). Values and paths are
bound with `?` everywhere else."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
