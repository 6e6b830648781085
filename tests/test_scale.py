"""A year's worth of reports from many writers publishes: every report PDF the repository holds (the
samples, the dev and written sets, ../shared/real_dev when beside) in one refresh. Whatever is set
aside or rejected says why, and no published row breaks a gate."""

import sys

import duckdb
import pytest
from conftest import REPO

from orchestration.cli import main
from orchestration.quality.gates import gated_tables, validate_tables
from orchestration.warehouse.publication import PUBLISHED_TABLES
from orchestration.warehouse.store import read_table

sys.path.insert(0, str(REPO / "bench"))
from corpus import repository_corpus  # noqa: E402


@pytest.mark.slow
def test_every_report_in_the_repository_publishes_in_one_refresh(warehouse_env, capsys):
    paths = repository_corpus(warehouse_env / "raw")
    assert len(paths) >= 90  # 98: the samples, the dev sets and tests/real_dev
    assert main(["refresh"]) == 0, capsys.readouterr().out
    published = warehouse_env / "warehouse" / "published.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        documents = con.execute("select source_file, status, reason, quarantined, quarantine_reason "
                                "from documents").df()
    assert len(documents) == len(paths)
    assert documents.loc[documents["status"] != "loaded", "reason"].notna().all()
    assert documents.loc[documents["quarantined"], "quarantine_reason"].notna().all()
    assert documents["quarantined"].sum() <= 0.1 * len(documents)
    assert (documents["status"] == "loaded").sum() >= 0.9 * len(documents)
    # The gates once more, on exactly what analysts read.
    results = validate_tables({table: read_table(published, table) for table in gated_tables()
                               if table in PUBLISHED_TABLES})
    assert len(results) >= 9
    assert all(r.success for r in results), [r.summary() for r in results if not r.success]
