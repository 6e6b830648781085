"""dbt models as Dagster assets (dagster-dbt), with a translator that groups them by layer."""


import os
import shutil
import sys
import uuid
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dbt.version import __version__ as DBT_CORE_VERSION
from packaging import version

from ... import progress
from ...errors import dbt_failure
from ...paths import DBT_PROJECT_DIR, build_db_path, warehouse_dir
from ...quality.gates import warm_up_in_background

# The ingest assets that load each dbt source table.
SOURCE_ASSETS = {
    "documents": dg.AssetKey(["report_documents"]),
    "facts": dg.AssetKey(["indicator_facts"]),
    "fact_overrides": dg.AssetKey(["steward_overrides"]),
    "quarantine": dg.AssetKey(["quarantined_documents"]),
}

DBT_STAGE = "dbt models"
zhijiao_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
DBT_TARGET_DIR = zhijiao_dbt.project_dir / zhijiao_dbt.target_path  # target_path is relative to the project
# The dbt installed beside this interpreter, so an unactivated .venv works.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
# What dagster-dbt runs: that dbt, in the warehouse folder (_dbt_environment).
DBT_IN_WAREHOUSE = str(Path(__file__).with_name("dbt_in_warehouse.sh"))


class ZhijiaoDbtCli(DbtCliResource):
    """DbtCliResource without two fixed costs of every invocation (~3 s of a refresh), neither of which
    we use: it runs `dbt --version` in a subprocess to learn the version of the dbt beside this
    interpreter (the dbt-core we import is that dbt), and it opens a dbt adapter in-process only to
    fetch row counts or column metadata, which our models do not ask for.
    tests/test_definitions.py guards both overrides against dagster-dbt upgrades."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(DBT_CORE_VERSION)

    def _initialize_dbt_core_adapter(self, args):
        return None


dbt_resource = ZhijiaoDbtCli(project_dir=zhijiao_dbt, dbt_executable=DBT_IN_WAREHOUSE)


def _manifest_is_stale(manifest: Path) -> bool:
    # The manifest does not depend on the build database (only dbt's partial-parse state does), so a
    # new warehouse reuses it.
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml", *DBT_PROJECT_DIR.glob("models/**/*"),
               *DBT_PROJECT_DIR.glob("macros/**/*"), *DBT_PROJECT_DIR.glob("tests/**/*"),
               *DBT_PROJECT_DIR.glob("seeds/*.yml")]
    return any(p.stat().st_mtime > built for p in watched if p.is_file())


def _dbt_environment() -> None:
    """dbt runs in the warehouse folder and finds the build database there by its bare name. dbt
    re-parses the whole project (~2 s) when the profile differs from its saved parse's; with the path
    relative, a refresh into a new warehouse folder reuses the parse as well."""
    warehouse_dir().mkdir(parents=True, exist_ok=True)
    os.environ["ZHIJIAO_DBT_WORKDIR"] = str(warehouse_dir())
    os.environ["ZHIJIAO_BUILD_DB"] = build_db_path().relative_to(warehouse_dir()).as_posix()  # read by profiles.yml
    os.environ["ZHIJIAO_DBT"] = DBT_EXECUTABLE
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its files; each build then
    starts from that parse (dagster-dbt copies partial_parse.msgpack), whatever the warehouse path."""
    manifest = zhijiao_dbt.manifest_path
    if _manifest_is_stale(manifest):
        _dbt_environment()
        dbt_resource.cli(["parse", "--quiet"], target_path=zhijiao_dbt.target_path).wait()
    return manifest


PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def keep_partial_parse(build_target: Path, target: Path = DBT_TARGET_DIR) -> None:
    """dagster-dbt starts each build from the project's partial-parse state. When that state no longer
    fits (dbt upgraded: the manifest check watches only the project's files), dbt parses in
    full and saves the new state in the build's own folder: copied back, later builds reuse it."""
    state = build_target / PARTIAL_PARSE_FILE
    if not state.exists():
        return
    staged = target / f".{PARTIAL_PARSE_FILE}.{os.getpid()}"
    shutil.copyfile(state, staged)
    os.replace(staged, target / PARTIAL_PARSE_FILE)  # atomic: a refresh of another warehouse may read it


class ZhijiaoTranslator(DagsterDbtTranslator):
    """Sources map to the ingest asset that loads them; models are grouped by layer folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return SOURCE_ASSETS[dbt_resource_props["name"]]
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "catalog"
        parts = dbt_resource_props.get("fqn", [])
        return parts[1] if len(parts) > 2 else "dbt"


@dbt_assets(manifest=ensure_manifest(), project=zhijiao_dbt, dagster_dbt_translator=ZhijiaoTranslator())
def zhijiao_dbt_models(context: dg.AssetExecutionContext, dbt: ZhijiaoDbtCli):
    _dbt_environment()
    warm_up_in_background()  # the gates import GX (seconds) while dbt builds
    models, built = len(context.selected_asset_keys), 0
    progress.report(DBT_STAGE, 0, models)
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    with progress.quiet_stdout():  # dagster-dbt echoes dbt's log of every node to stdout
        for event in invocation.stream():  # every model and test result, failed ones too
            if isinstance(event, dg.Output):
                built += 1
                progress.report(DBT_STAGE, built, models)
            yield event
    keep_partial_parse(invocation.target_path)
    prune_build_artifacts(DBT_TARGET_DIR, context.op_execution_context.op.name)
    error = invocation.get_error()
    if error is not None:
        raise dbt_failure(_node_errors(invocation) or [str(error)], invocation.target_path / "dbt.log")


def rebuild_after_quarantine(dbt: ZhijiaoDbtCli) -> None:
    """Build every model and test downstream of raw.quarantine again, once the gates have set reports
    aside. Its artifacts sit beside the asset's builds (and are pruned with them)."""
    _dbt_environment()
    target = DBT_TARGET_DIR / f"{zhijiao_dbt_models.op.name}-quarantine-{uuid.uuid4().hex[:8]}"
    progress.report("rebuild", 0, 1)
    with progress.quiet_stdout():
        invocation = dbt.cli(["build", "--select", "source:raw.quarantine+"],
                             manifest=zhijiao_dbt.manifest_path, target_path=target,
                             raise_on_error=False).wait()
    keep_partial_parse(invocation.target_path)
    prune_build_artifacts(DBT_TARGET_DIR, zhijiao_dbt_models.op.name)
    if invocation.get_error() is not None:
        raise dbt_failure(_node_errors(invocation) or [str(invocation.get_error())],
                          invocation.target_path / "dbt.log")
    progress.report("rebuild", 1, 1)


def _node_errors(invocation) -> list[str]:
    """The message of each model, seed or test that errored, from run_results.json (dbt's own words:
    "Runtime Error in model stg_facts … Binder Error: …"); empty when dbt stopped before running any."""
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except (OSError, ValueError, KeyError):
        return []
    return [r["message"] for r in results if r.get("status") == "error" and r.get("message")]


KEPT_BUILDS = 5


def prune_build_artifacts(target: Path, op_name: str, keep: int = KEPT_BUILDS) -> None:
    """dagster-dbt gives every build its own target folder (~4 MB: manifest, logs, compiled SQL);
    the newest few are kept for debugging, so a refresh does not grow the project without bound."""
    builds = sorted(target.glob(f"{op_name}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[keep:]:
        shutil.rmtree(old, ignore_errors=True)

