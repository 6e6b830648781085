"""dbt models as Dagster assets (dagster-dbt), with a translator that groups them by layer."""


import os
import shutil
import sys
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dbt.version import __version__ as DBT_CORE_VERSION
from packaging import version

from ... import progress
from ...errors import dbt_failure
from ...paths import DBT_PROJECT_DIR, build_db_path
from ...quality.gates import warm_up_in_background

# The ingest assets that load each dbt source table.
SOURCE_ASSETS = {
    "documents": dg.AssetKey(["report_documents"]),
    "facts": dg.AssetKey(["indicator_facts"]),
    "fact_overrides": dg.AssetKey(["steward_overrides"]),
}

DBT_STAGE = "dbt models"
zhijiao_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
DBT_TARGET_DIR = zhijiao_dbt.project_dir / zhijiao_dbt.target_path  # target_path is relative to the project
# The dbt installed beside this interpreter, so an unactivated .venv works.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


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


dbt_resource = ZhijiaoDbtCli(project_dir=zhijiao_dbt, dbt_executable=DBT_EXECUTABLE)


def _manifest_is_stale(manifest: Path) -> bool:
    # The manifest does not depend on the build database (only dbt's partial-parse state does), so a
    # new warehouse reuses it.
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [DBT_PROJECT_DIR / "dbt_project.yml", *DBT_PROJECT_DIR.glob("models/**/*"),
               *DBT_PROJECT_DIR.glob("macros/**/*"), *DBT_PROJECT_DIR.glob("tests/**/*"),
               *DBT_PROJECT_DIR.glob("seeds/*.yml")]
    return any(p.stat().st_mtime > built for p in watched if p.is_file())


def _dbt_environment() -> None:
    # profiles.yml reads the build database path from the environment.
    os.environ["ZHIJIAO_BUILD_DB"] = str(build_db_path())
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing, older than its files, or parsed for another
    build database; each build then starts from that parse (dagster-dbt copies partial_parse.msgpack)."""
    manifest = zhijiao_dbt.manifest_path
    if _manifest_is_stale(manifest):
        _dbt_environment()
        dbt_resource.cli(["parse", "--quiet"], target_path=zhijiao_dbt.target_path).wait()
    return manifest


PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def keep_partial_parse(build_target: Path, target: Path = DBT_TARGET_DIR) -> None:
    """dagster-dbt starts each build from the project's partial-parse state. dbt parses in full when
    that state was saved for another build database (its profile changed), and saves the new state in
    the build's own folder: copied back, the next build in this warehouse parses only what changed."""
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

