"""DuckDB: loading the build database, publishing atomically, and read-only queries."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import duckdb
import pandas as pd

from ..extraction.extract import FACT_COLUMNS
from ..intake.outcomes import DocumentResult
from .publication import PUBLISHED_TABLES
from .sql import quote_identifier

DOCUMENT_COLUMNS = [
    "file_name", "path", "sha256", "size_bytes", "kind", "status", "reason", "title", "subject", "level",
    "admin_code", "report_year", "body_year", "document_type", "school_code", "review_reason", "page_count", "fact_count",
    "ocr_pages", "page_problems",
]
RAW_FACT_COLUMNS = FACT_COLUMNS + ["sha256", "rule", "approximate", "printed"]


def frames(results: list[DocumentResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.DataFrame([r.document_row() for r in results], columns=DOCUMENT_COLUMNS)
    facts = pd.DataFrame([asdict(f) for r in results for f in r.facts], columns=RAW_FACT_COLUMNS)
    documents = documents.astype({"report_year": "Int64", "body_year": "Int64"})
    facts = facts.astype({"page": "int64", "period_year": "int64", "value": "float64", "approximate": "bool", "confidence": "float64"})
    return documents, facts


# What the gates set aside (quality/quarantine.py fills it); empty until they do.
QUARANTINE_DDL = ("create table if not exists raw.quarantine "
                  "(source_file varchar, fact_id varchar, gate varchar, detail varchar)")


def load_raw(db_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the raw tables of the build database (schema raw), the dbt sources."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists raw")
        con.execute(QUARANTINE_DDL)
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"create or replace table raw.{quote_identifier(name)} as select * from frame")
            con.unregister("frame")


def read_table(db_path: Path, table: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select * from {quote_identifier(table)}").df()


# Analysts' SQL runs with no file system, no other databases and no extensions, and cannot change
# that: a query can read the published tables and nothing else (no copy … to, read_csv, attach,
# install or load). The memory cap keeps one runaway query from starving a refresh.
SANDBOX_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "memory_limit": "2GB",
}


def sandboxed_connection(published: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file whose configuration is locked."""
    if not published.exists():
        raise FileNotFoundError(f"{published} does not exist yet; run `make run` (or `zhijiao refresh`) first.")
    con = duckdb.connect(str(published), read_only=True, config=SANDBOX_CONFIG)
    con.execute("set lock_configuration = true")
    return con


def query_published(published: Path, sql: str) -> pd.DataFrame:
    with sandboxed_connection(published) as con:
        return con.execute(sql).df()


def published_tables(published: Path) -> list[tuple[str, int, str]]:
    """Each published table with its row count and comment."""
    with sandboxed_connection(published) as con:
        tables = con.execute("select table_name, coalesce(comment, '') from duckdb_tables() "
                             "where schema_name = 'main' order by table_name").fetchall()
        return [(name, con.execute(f"select count(*) from {quote_identifier(name)}").fetchone()[0], comment) for name, comment in tables]


def describe_published(published: Path, table: str) -> list[tuple[str, str, str]]:
    """A published table's columns: name, type and comment; LookupError naming the tables there are."""
    with sandboxed_connection(published) as con:
        columns = con.execute("select column_name, data_type, coalesce(comment, '') from duckdb_columns() "
                              "where schema_name = 'main' and table_name = ? order by column_index", [table]).fetchall()
        if not columns:
            names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
            raise LookupError(f"no published table {table!r}; the tables are {', '.join(names)} (`zhijiao tables`).")
        return columns


COMPLETENESS_SQL = """
    select c.source_file, c.subject, d.body_year, any_value(c.core_found) as found,
        any_value(c.core_total) as total,
        string_agg(c.indicator, ', ' order by c.indicator) filter (where c.status = 'missing') as missing
    from report_coverage as c join documents as d using (source_file)
    group by all order by c.subject, d.body_year, c.source_file"""


def report_completeness(published: Path) -> list[tuple[str, str]]:
    """Each report's completeness in words ("延津… 2023: 14 of 15 core indicators") with its file."""
    with sandboxed_connection(published) as con:
        try:
            rows = con.execute(COMPLETENESS_SQL).fetchall()
        except duckdb.CatalogException:  # published before report_coverage: the next refresh adds it
            return []
    return [(f"{subject} {year or ''}: {found} of {total} core indicators"
             + (f" (missing {missing})" if missing else ""), file)
            for file, subject, year, found, total, missing in rows]


def published_row_counts(published: Path) -> dict[str, int]:
    """Rows per published table, read through one read-only connection."""
    with duckdb.connect(str(published), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {quote_identifier(t)}").fetchone()[0] for t in PUBLISHED_TABLES}


def export_published(published: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Every published table as one Parquet or CSV file."""
    if not published.exists():
        raise FileNotFoundError(f"{published} does not exist yet; run `make run` (or `zhijiao refresh`) first.")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    options = "(format parquet)" if fmt == "parquet" else "(header, delimiter ',')"
    with duckdb.connect(str(published), read_only=True) as con:
        for table in PUBLISHED_TABLES:
            path = out_dir / f"{table}.{fmt}"
            con.execute(f"copy {quote_identifier(table)} to ? {options}", [str(path)])
            written.append(path)
    return written
