"""The Dagster UI serves the whole asset graph: queried through its GraphQL API on 127.0.0.1."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import REPO

QUERY = """{ assetNodes { assetKey { path } groupName
  assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_ui_graphql_lists_assets_and_checks(tmp_path):
    port = _free_port()
    webserver = Path(sys.executable).with_name("dagster-webserver")
    process = subprocess.Popen([str(webserver), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
                               cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, data = time.time() + 180, None
        while time.time() < deadline:
            try:
                data = _graphql(port, QUERY)["data"]
                if data and data.get("assetNodes"):
                    break
            except OSError:
                pass
            time.sleep(1)
        assert data and data["assetNodes"], "the UI did not answer on 127.0.0.1"
        keys = {"/".join(n["assetKey"]["path"]) for n in data["assetNodes"]}
        checks = [c for n in data["assetNodes"] for c in (n["assetChecksOrError"] or {}).get("checks", [])]
        assert len(keys) >= 15
        assert {"report_files", "parsed_reports", "indicator_facts", "stg_facts", "school_year", "yearly_comparison",
                "published_warehouse"} <= keys
        gx = [c for c in checks if c["name"].startswith("gx_")]
        assert len(checks) >= 5 and len(gx) >= 5 and all(c["blocking"] for c in gx)
    finally:
        process.terminate()
        process.wait(timeout=30)
