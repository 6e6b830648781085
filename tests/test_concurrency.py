"""One refresh at a time per warehouse: real concurrent processes, the real Dagster sensor, schedule and job."""

import os
import shutil
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest
from conftest import RAW, REPO

from orchestration.cli import main
from orchestration.definitions import defs


def cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "orchestration.cli", *args], cwd=REPO, env=dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_second_refresh_stops_with_one_line_while_the_first_publishes(warehouse_env):
    for name in ("000_ad8fa0dc1b023aac.pdf", "001_cbbc57b736b8bf1c.pdf"):
        shutil.copy(RAW / name, warehouse_env / "raw")
    holder = warehouse_env / "warehouse" / ".refresh.holder"
    first = cli("refresh")
    deadline = time.time() + 120
    while not holder.exists():
        assert first.poll() is None and time.time() < deadline, first.communicate()
        time.sleep(0.05)
    second = cli("refresh", "--force")
    out, err = second.communicate(timeout=300)
    assert second.returncode == 1
    # The progress header, then the reason in one line.
    [header, line] = [l for l in out.splitlines() if l.strip()]
    assert header.startswith("Refreshing the warehouse from ")
    assert line.startswith("Not refreshed: another refresh of ") and f"is running (process {first.pid} since" in line
    assert "wait for it to finish" in line and "Traceback" not in out + err
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, out + err
    with duckdb.connect(str(warehouse_env / "warehouse" / "published.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from documents").fetchone()[0] == 2
    assert not holder.exists()
    assert main(["refresh"]) == 0  # the lock was released with the first refresh


@pytest.fixture
def lock_held_elsewhere(warehouse_env):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom orchestration.warehouse.lock import holding_refresh_lock\n"
                               "with holding_refresh_lock():\n    print('held', flush=True)\n    sys.stdin.read()\n"],
        cwd=REPO, env=dict(os.environ), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield holder
    holder.stdin.close()
    holder.wait(timeout=30)


def test_sensor_schedule_and_job_respect_a_refresh_in_progress(lock_held_elsewhere, warehouse_env, capsys):
    shutil.copy(RAW / "000_ad8fa0dc1b023aac.pdf", warehouse_env / "raw")
    with dg.instance_for_test() as instance:
        sensor = defs.resolve_sensor_def("raw_files_sensor")
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert not tick.run_requests and f"process {lock_held_elsewhere.pid}" in tick.skip_message
        schedule = defs.resolve_schedule_def("yearly_refresh_schedule")
        data = schedule.evaluate_tick(dg.build_schedule_context(instance=instance))
        assert not data.run_requests and "a refresh of this warehouse is running" in data.skip_message
        # A run the daemon launched anyway (queued before the lock was taken) fails on the lock at its start.
        result = defs.resolve_job_def("yearly_refresh").execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        assert not (warehouse_env / "warehouse" / "build.duckdb").exists()
    assert main(["refresh"]) == 1
    assert "another refresh of" in capsys.readouterr().out
    # Once the other refresh ends, the sensor asks for a run again.
    lock_held_elsewhere.stdin.close()
    lock_held_elsewhere.wait(timeout=30)
    with dg.instance_for_test() as instance:
        tick = defs.resolve_sensor_def("raw_files_sensor").evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(tick.run_requests) == 1
