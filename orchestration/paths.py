"""Where things live. ZHIJIAO_RAW_DIR and ZHIJIAO_WAREHOUSE_DIR override the defaults."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def raw_dir() -> Path:
    return Path(os.environ.get("ZHIJIAO_RAW_DIR", REPO_ROOT / "raw")).resolve()


def expectations_dir() -> Path:
    """The GX suites the gates run: the project's own, or a steward's copy (ZHIJIAO_EXPECTATIONS_DIR)
    holding the same tables' suites with stricter rules."""
    return Path(os.environ.get("ZHIJIAO_EXPECTATIONS_DIR", EXPECTATIONS_DIR)).resolve()


def warehouse_dir() -> Path:
    return Path(os.environ.get("ZHIJIAO_WAREHOUSE_DIR", REPO_ROOT / "warehouse")).resolve()


def build_db_path() -> Path:
    return warehouse_dir() / "build.duckdb"


def published_db_path() -> Path:
    """What analysts open: a link into the current publication (publication.py switches it)."""
    return warehouse_dir() / "published.duckdb"


def published_parquet_dir() -> Path:
    """The published marts as Parquet: a link into the current publication, like published.duckdb."""
    return warehouse_dir() / "parquet"


def publications_dir() -> Path:
    """Every publication in its own versioned folder, and `current`, the link to the live one."""
    return warehouse_dir() / "published"


def parse_cache_dir() -> Path:
    return warehouse_dir() / "parse_cache"


def write_text_atomic(path: Path, text: str) -> None:
    """Readers (another process, a concurrent batch) see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
