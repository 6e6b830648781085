"""GX suites from expectations/ as blocking Dagster asset checks on the staged facts and every mart."""


import dagster as dg

from ...paths import build_db_path, warehouse_dir
from ...quality.gates import gated_tables, validate
from ...warehouse.store import read_table


def gx_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([table]),
        name=f"gx_{table}",
        blocking=True,
        description=f"Great Expectations suite expectations/{table}.json; a failure blocks publication.",
    )
    def _check() -> dg.AssetCheckResult:
        result = validate(table, read_table(build_db_path(), table), docs_dir=warehouse_dir() / "gx_docs")
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=result.summary(),
            metadata={"expectations": result.evaluated, "rows": result.row_count,
                      "data_docs": dg.MetadataValue.path(str(warehouse_dir() / "gx_docs" / "index.html")),
                      "failures": dg.MetadataValue.json(result.failures)},
        )

    return _check


gx_checks = [gx_check(table) for table in gated_tables()]
