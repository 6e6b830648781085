"""DuckDB: loading the build database, publishing atomically, and read-only queries."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import duckdb
import pandas as pd

from ..extraction.extract import FACT_COLUMNS
from .ingest import DocumentResult

PUBLISHED_TABLES = [
    "documents", "facts", "school_year", "county_year", "city_year", "province_year",
    "yearly_comparison", "data_quality_issues",
]
DOCUMENT_COLUMNS = [
    "file_name", "path", "sha256", "size_bytes", "kind", "status", "reason", "title", "subject", "level",
    "admin_code", "report_year", "body_year", "document_type", "school_code", "review_reason", "page_count", "fact_count",
]
RAW_FACT_COLUMNS = FACT_COLUMNS + ["sha256", "rule", "approximate", "printed"]


def frames(results: list[DocumentResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.DataFrame([r.document_row() for r in results], columns=DOCUMENT_COLUMNS)
    facts = pd.DataFrame([asdict(f) for r in results for f in r.facts], columns=RAW_FACT_COLUMNS)
    documents = documents.astype({"report_year": "Int64", "body_year": "Int64"})
    facts = facts.astype({"page": "int64", "period_year": "int64", "value": "float64", "approximate": "bool", "confidence": "float64"})
    return documents, facts


def load_raw(db_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Replace the raw tables of the build database (schema raw), the dbt sources."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists raw")
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"create or replace table raw.{name} as select * from frame")
            con.unregister("frame")


def read_table(db_path: Path, table: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select * from {table}").df()


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(build_db: Path, published: Path, parquet_dir: Path, comments: dict | None = None) -> dict[str, int]:
    """Copy the gated tables into a new file and swap it in atomically; Parquet beside it.

    Readers holding the old file keep reading it; a crash before os.replace leaves it untouched.
    comments: table → TableComments (comments.published_comments), set as DuckDB comments.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a publish that was killed midway are never read; clear them.
    for stale in published.parent.glob(f".{published.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.{int(time.time() * 1000)}.tmp")
    counts = {}
    tmp_parquet = parquet_dir.with_name(f".{parquet_dir.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp_parquet, ignore_errors=True)
    tmp_parquet.mkdir(parents=True)
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute(f"attach '{build_db}' as build (read_only)")
            for table in PUBLISHED_TABLES:
                con.execute(f"create table {table} as select * from build.main.{table}")
                counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
                described = (comments or {}).get(table)
                if described is not None:
                    con.execute(f"comment on table {table} is {_sql_text(described.table)}")
                    for column, text in described.columns.items():
                        con.execute(f"comment on column {table}.\"{column}\" is {_sql_text(text)}")
                con.execute(f"copy {table} to '{tmp_parquet / (table + '.parquet')}' (format parquet)")
            con.execute("detach build")
            con.execute("checkpoint")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, published)
        old = parquet_dir.with_name(f".{parquet_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if parquet_dir.exists():
            os.replace(parquet_dir, old)
        os.replace(tmp_parquet, parquet_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        shutil.rmtree(tmp_parquet, ignore_errors=True)
    return counts


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
        return [(name, con.execute(f'select count(*) from "{name}"').fetchone()[0], comment) for name, comment in tables]


def describe_published(published: Path, table: str) -> list[tuple[str, str, str]]:
    """A published table's columns: name, type and comment; LookupError naming the tables there are."""
    with sandboxed_connection(published) as con:
        columns = con.execute("select column_name, data_type, coalesce(comment, '') from duckdb_columns() "
                              "where schema_name = 'main' and table_name = ? order by column_index", [table]).fetchall()
        if not columns:
            names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
            raise LookupError(f"no published table {table!r}; the tables are {', '.join(names)} (`zhijiao tables`).")
        return columns


def published_row_counts(published: Path) -> dict[str, int]:
    """Rows per published table, read through one read-only connection."""
    with duckdb.connect(str(published), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in PUBLISHED_TABLES}


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
            con.execute(f"copy {table} to '{path}' {options}")
            written.append(path)
    return written
