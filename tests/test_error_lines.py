"""Failures say what went wrong in one line: dbt's own error, a full disk. Real dbt, real DuckDB, real processes."""

import os
import shutil
import subprocess
import sys

import dagster as dg
import duckdb
from conftest import RAW, REPO

from orchestration.cli import main


def test_a_dbt_error_is_shown_as_dbt_s_own_line(warehouse_env):
    """A build database whose raw.facts lacks a column: dbt fails in stg_facts, and the step's error is
    DbtBuildFailed carrying dbt's message, not dagster-dbt's "The dbt CLI process with command"."""
    from orchestration.defs.transform.dbt import dbt_resource, zhijiao_dbt_models
    from orchestration.warehouse.refresh import _domain_message, _root_error

    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", warehouse_env / "raw")
    assert main(["refresh"]) == 0
    build = warehouse_env / "warehouse" / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("alter table raw.facts drop column confidence")
    with dg.instance_for_test() as instance:
        result = dg.materialize([zhijiao_dbt_models], instance=instance, resources={"dbt": dbt_resource},
                                raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.get_step_failure_events()]
    root = _root_error(failure.step_failure_data.error)
    message = _domain_message(root)
    assert root.cls_name == "DbtBuildFailed" and message.startswith("dbt build failed: ")
    assert "stg_facts" in message and "confidence" in message and "dbt.log" in message
    assert "The dbt CLI process" not in message and "\n" not in message


PUBLISH_WITH_A_SMALL_DISK = (
    "import resource, signal, sys\n"
    "from pathlib import Path\n"
    "from orchestration.errors import ZhijiaoError\n"
    "from orchestration.warehouse.publication import publish\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))  # files stop at 256 KB\n"
    "try:\n"
    "    publish(Path(sys.argv[1]))\n"
    "except ZhijiaoError as exc:\n"
    "    print(exc.message); sys.exit(1)\n"
)


def test_a_full_disk_while_publishing_is_one_line_and_keeps_the_publication(warehouse_env):
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", warehouse_env / "raw")
    assert main(["refresh"]) == 0
    warehouse = warehouse_env / "warehouse"
    before = (warehouse / "published.duckdb").read_bytes()
    process = subprocess.run([sys.executable, "-c", PUBLISH_WITH_A_SMALL_DISK, str(warehouse / "build.duckdb")],
                             cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert process.returncode == 1, process.stderr
    [line] = process.stdout.splitlines()
    assert line.startswith(f"no space left on the disk holding {warehouse / 'published'}") and "free space" in line
    assert "Traceback" not in process.stderr
    assert (warehouse / "published.duckdb").read_bytes() == before
    assert not [p for p in (warehouse / "published").iterdir() if p.name.startswith(".")]
