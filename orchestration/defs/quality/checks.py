"""GX suites from expectations/ as blocking Dagster asset checks on the staged facts and every mart."""

from collections.abc import Iterator

import dagster as dg

from ... import progress
from ...paths import build_db_path, warehouse_dir
from ...quality.gates import gated_tables, validate_tables
from ...warehouse.store import read_table


def _spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        f"gx_{table}", asset=dg.AssetKey([table]), blocking=True,
        description=f"Great Expectations suite expectations/{table}.json; a failure blocks publication.",
    )


# One step for every suite: one GX context and one gate report per refresh.
@dg.multi_asset_check(specs=[_spec(table) for table in gated_tables()])
def gx_gates() -> Iterator[dg.AssetCheckResult]:
    report = warehouse_dir() / "gate_report"
    frames = {table: read_table(build_db_path(), table) for table in gated_tables()}
    for result in validate_tables(frames, report_dir=report, progress=lambda done: progress.report("gates", done, len(frames))):
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey([result.table]),
            check_name=f"gx_{result.table}",
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=result.summary(),
            metadata={"expectations": result.evaluated, "rows": result.row_count,
                      "gate_report": dg.MetadataValue.path(str(report / "index.html")),
                      "failures": dg.MetadataValue.json(result.failures)},
        )


gx_checks = [gx_gates]
