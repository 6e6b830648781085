"""Write-audit-publish: gated tables copied into a new versioned publication (DuckDB and Parquet), switched in atomically."""


import dagster as dg

from ... import progress
from ...paths import build_db_path, published_db_path
from ...warehouse.comments import published_comments
from ...warehouse.fingerprint import INPUTS_METADATA_KEY
from ...warehouse.publication import PUBLISHED_TABLES, publish


def _inputs_of_this_run(context: dg.AssetExecutionContext) -> str | None:
    """The inputs digest report_files recorded in this run; None when this run did not inventory raw/."""
    event = context.instance.get_latest_materialization_event(dg.AssetKey("report_files"))
    if event is None or event.run_id != context.run_id:
        return None
    value = event.asset_materialization.metadata.get(INPUTS_METADATA_KEY)
    return value.value if value is not None else None


@dg.asset(
    group_name="publish",
    required_resource_keys={"refresh_lock"},
    deps=[dg.AssetKey([t]) for t in PUBLISHED_TABLES],
    description="warehouse/published.duckdb and warehouse/parquet/: what analysts read. Runs only when every blocking gate passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    progress.report("published", 0, 1)
    counts = publish(build_db_path(), published_comments(PUBLISHED_TABLES), inputs=_inputs_of_this_run(context))
    context.log.info(f"published {published_db_path()}: {counts}")
    progress.report("published", 1, 1)
    return dg.MaterializeResult(metadata={"path": str(published_db_path()), **{f"rows_{k}": v for k, v in counts.items()}})
