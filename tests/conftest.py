"""Shared fixtures: telemetry off, a private DAGSTER_HOME, and one real refresh of raw/."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
GOLD = REPO / "tests" / "gold"
sys.path.insert(0, str(Path(__file__).parent))

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@pytest.fixture
def warehouse_env(tmp_path, monkeypatch):
    """A private raw/ and warehouse/ for one test."""
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("ZHIJIAO_RAW_DIR", str(raw))
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    return tmp_path


def refresh_into(raw: Path, warehouse: Path) -> tuple[int, str]:
    """`zhijiao refresh` of raw/ into warehouse/, through Dagster: its exit code and what it printed.
    For module- and session-scoped fixtures, which cannot use monkeypatch."""
    import contextlib
    import io

    from orchestration.cli import main

    saved = {k: os.environ.get(k) for k in ("ZHIJIAO_RAW_DIR", "ZHIJIAO_WAREHOUSE_DIR")}
    os.environ["ZHIJIAO_RAW_DIR"] = str(raw)
    os.environ["ZHIJIAO_WAREHOUSE_DIR"] = str(warehouse)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            code = main(["refresh"])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, output.getvalue()


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory):
    """`zhijiao refresh` of the shipped raw/ into a temporary warehouse, through Dagster, with what it printed."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    code, output = refresh_into(RAW, warehouse)
    return {"exit_code": code, "output": output, "dir": warehouse, "published": warehouse / "published.duckdb",
            "build": warehouse / "build.duckdb"}
