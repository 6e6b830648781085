"""Write-audit-publish: gated tables copied to a new published.duckdb (and Parquet), swapped in atomically."""


import dagster as dg

from ...paths import build_db_path, published_db_path, warehouse_dir
from ...warehouse.comments import column_comments
from ...warehouse.store import PUBLISHED_TABLES, publish


@dg.asset(
    group_name="publish",
    deps=[dg.AssetKey([t]) for t in PUBLISHED_TABLES],
    description="warehouse/published.duckdb and warehouse/parquet/: what analysts read. Runs only when every blocking gate passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    counts = publish(build_db_path(), published_db_path(), warehouse_dir() / "parquet", column_comments())
    context.log.info(f"published {published_db_path()}: {counts}")
    return dg.MaterializeResult(metadata={"path": str(published_db_path()), **{f"rows_{k}": v for k, v in counts.items()}})
