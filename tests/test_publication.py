"""Publishing: the DuckDB file and the Parquet set switch together, crash-safe at every step, with a
real DuckDB, real refreshes and publishing processes killed at each step."""

import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import RAW, REPO

from orchestration.cli import main
from orchestration.warehouse.publication import PUBLISH_STEPS


def count(path, table="documents"):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def parquet_count(warehouse, table="documents"):
    with duckdb.connect() as con:
        return con.execute("select count(*) from read_parquet(?)", [str(warehouse / "parquet" / f"{table}.parquet")]).fetchone()[0]


def leftovers(warehouse):
    return sorted(p.name for p in (warehouse / "published").iterdir() if p.name.startswith("."))


@pytest.fixture
def published_once(warehouse_env):
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", warehouse_env / "raw")
    assert main(["refresh"]) == 0
    return warehouse_env / "warehouse"


KILLED_AFTER = (
    "import os, signal, sys\n"
    "from pathlib import Path\n"
    "from orchestration.warehouse.publication import publish\n"
    "def crash(step):\n"
    "    if step == sys.argv[2]:\n"
    "        os.kill(os.getpid(), signal.SIGKILL)\n"
    "publish(Path(sys.argv[1]), inputs='from a crashed publish', after_step=crash)\n"
)


@pytest.mark.parametrize("step", PUBLISH_STEPS)
def test_a_publish_killed_after_any_step_leaves_one_whole_publication_and_the_next_refresh_heals(published_once, step, capsys):
    warehouse = published_once
    with duckdb.connect(str(warehouse / "build.duckdb")) as con:  # the next publication has 2 document rows
        con.execute("insert into main.documents select * from main.documents")
    process = subprocess.run([sys.executable, "-c", KILLED_AFTER, str(warehouse / "build.duckdb"), step],
                             cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert process.returncode == -9, process.stderr
    # Analysts see the old publication or the new one: the DuckDB file and the Parquet set agree.
    expected = 1 if step in ("stage", "commit") else 2
    assert count(warehouse / "published.duckdb") == expected
    assert parquet_count(warehouse) == expected
    # The next refresh clears what was left; it rebuilds unless the old publication is still live and whole.
    capsys.readouterr()
    assert main(["refresh"]) == 0
    assert ("Up to date" in capsys.readouterr().out) == (expected == 1)
    assert count(warehouse / "published.duckdb") == 1 and parquet_count(warehouse) == 1
    assert leftovers(warehouse) == []
    versions = sorted(p.name for p in (warehouse / "published").glob("v-*"))
    assert len(versions) <= 2 and os.readlink(warehouse / "published" / "current") in versions


@pytest.mark.parametrize("missing", ["parquet/facts.parquet", "published.duckdb", "parquet"])
def test_a_missing_published_artefact_is_rebuilt_not_reported_up_to_date(published_once, missing, capsys):
    warehouse = published_once
    target = warehouse / missing
    if target.is_symlink() or target.is_file():
        target.unlink()
    capsys.readouterr()
    assert main(["refresh"]) == 0
    assert "Up to date" not in capsys.readouterr().out
    assert count(warehouse / "published.duckdb") == 1 and parquet_count(warehouse, "facts") > 0
    assert main(["refresh"]) == 0
    assert "Up to date" in capsys.readouterr().out


def test_the_layout_before_versioned_publications_is_taken_over(published_once):
    """A warehouse published by the earlier code (a plain file and folder) switches to the links."""
    warehouse = published_once
    real_db = (warehouse / "published.duckdb").resolve()
    real_parquet = (warehouse / "parquet").resolve()
    (warehouse / "published.duckdb").unlink()
    (warehouse / "parquet").unlink()
    shutil.copy(real_db, warehouse / "published.duckdb")
    shutil.copytree(real_parquet, warehouse / "parquet")
    shutil.rmtree(warehouse / "published")
    (warehouse / "published.inputs").write_text("old sidecar")
    assert main(["refresh"]) == 0
    assert (warehouse / "published.duckdb").is_symlink() and (warehouse / "parquet").is_symlink()
    assert not (warehouse / "published.inputs").exists() and not (warehouse / ".parquet.old").exists()
    assert count(warehouse / "published.duckdb") == 1 == parquet_count(warehouse)


def test_paths_and_comments_with_quotes_are_bound_or_escaped(tmp_path, monkeypatch):
    """A warehouse under a folder named with a quote publishes, exports and queries; comment text
    with a quote is stored as written."""
    from orchestration.warehouse.publication import publish
    from orchestration.warehouse.store import export_published, query_published

    odd = tmp_path / "o'brien's \"warehouse\""
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(odd))
    odd.mkdir()
    build = odd / "build.duckdb"
    from orchestration.warehouse.comments import TableComments
    from orchestration.warehouse.publication import PUBLISHED_TABLES

    with duckdb.connect(str(build)) as con:
        for table in PUBLISHED_TABLES:
            con.execute(f'create table "{table}" as select 1 as value, \'it\'\'s\' as note')
    counts = publish(build, {"facts": TableComments("事实 'facts'; --", {"note": "教职工 'staff'; drop table facts; --"})})
    assert counts["facts"] == 1
    assert query_published(odd / "published.duckdb", "select comment from duckdb_columns() where table_name = 'facts' "
                                                       "and column_name = 'note'").iloc[0, 0] == "教职工 'staff'; drop table facts; --"
    assert query_published(odd / "published.duckdb", "select comment from duckdb_tables() where table_name = 'facts'"
                           ).iloc[0, 0] == "事实 'facts'; --"
    out = tmp_path / "ex'port"
    written = export_published(odd / "published.duckdb", out, "csv")
    assert (out / "facts.csv").read_text().splitlines() == ["value,note", "1,it's"] and len(written) == len(PUBLISHED_TABLES)
