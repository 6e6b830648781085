"""The Dagster UI (`zhijiao ui`): the whole asset graph through its GraphQL API on 127.0.0.1, a code
location named zhijiao, no run of its own when raw/ holds what was published, and SIGTERM stops it."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import RAW, REPO

ASSETS = """{ assetNodes { assetKey { path } groupName
  assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }"""
LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name } } } }"
SENSOR_TICKS = """{ sensorOrError(sensorSelector: {repositoryLocationName: "zhijiao", repositoryName: "__repository__",
  sensorName: "raw_files_sensor"}) { ... on Sensor { sensorState { ticks(limit: 5) { status skipReason runIds } } } } }"""
RUNS = "{ runsOrError { ... on Runs { results { runId } } } }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def _wait_for(port: int, query: str, ready, timeout_s: float = 240):
    deadline, data = time.time() + timeout_s, None
    while time.time() < deadline:
        try:
            data = _graphql(port, query)
            if data and ready(data):
                return data
        except OSError:
            pass
        time.sleep(1)
    return data


def _session_processes(session: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if int(fields[3]) == session and fields[0] != "Z":
                    pids.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return pids


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell starts a background job


def test_ui_is_quiet_named_and_stops_on_sigterm(refreshed, tmp_path):
    assert refreshed["exit_code"] == 0
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home)
    env = dict(os.environ, DAGSTER_HOME=str(home), ZHIJIAO_RAW_DIR=str(RAW), ZHIJIAO_WAREHOUSE_DIR=str(refreshed["dir"]))
    port = _free_port()
    zhijiao = Path(sys.executable).with_name("zhijiao")
    log = tmp_path / "ui.log"
    with open(log, "w") as out:
        process = subprocess.Popen([str(zhijiao), "ui", "--port", str(port)], cwd=tmp_path, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_ignore_sigint)
    try:
        data = _wait_for(port, ASSETS, lambda d: d.get("assetNodes"))
        assert data and data["assetNodes"], f"the UI did not answer on 127.0.0.1: {log.read_text()[-2000:]}"
        keys = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
        checks = [c for n in data["assetNodes"] for c in (n["assetChecksOrError"] or {}).get("checks", [])]
        assert len(keys) >= 15
        assert {"report_files", "parsed_reports", "indicator_facts", "stg_facts", "school_year", "yearly_comparison",
                "published_warehouse"} <= keys
        gx = [c for c in checks if c["name"].startswith("gx_")]
        assert len(checks) >= 5 and len(gx) >= 5 and all(c["blocking"] for c in gx)

        assert [e["name"] for e in _graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]] == ["zhijiao"]

        # The sensor's first tick finds raw/ as published: it skips, and no run starts.
        ticks = _wait_for(port, SENSOR_TICKS, lambda d: d["sensorOrError"]["sensorState"]["ticks"])
        ticks = ticks["sensorOrError"]["sensorState"]["ticks"]
        assert ticks, f"the sensor never ticked: {log.read_text()[-2000:]}"
        assert all(t["status"] == "SKIPPED" and not t["runIds"] for t in ticks), ticks
        assert _graphql(port, RUNS)["runsOrError"]["results"] == []
        assert " - DEBUG - " not in log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=90)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    assert code == 0, log.read_text()[-2000:]
    deadline = time.time() + 90  # the webserver and daemon stop; the code server follows them
    while _session_processes(process.pid) and time.time() < deadline:
        time.sleep(1)
    assert not _session_processes(process.pid), log.read_text()[-2000:]
