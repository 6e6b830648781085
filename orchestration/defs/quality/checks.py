"""GX suites from expectations/ as blocking Dagster asset checks on the staged facts and every mart.

A failure that traces to particular reports sets them aside (quality/quarantine.py) and the marts are
rebuilt without them; the checks then report the gates on what will be published."""

from collections.abc import Iterator

import dagster as dg
import duckdb

from ... import progress
from ...paths import build_db_path, warehouse_dir
from ...quality.gates import GateResult, gated_tables, validate_tables
from ...quality.quarantine import decide, no_quarantine, releases, trace_failures, write_quarantine
from ...warehouse.store import read_table
from ..transform.dbt import ZhijiaoDbtCli, rebuild_after_quarantine

# Each round sets aside the reports under the rows that failed; a rollup above them fails with them
# and is retraced next round. Three rounds settle anything short of a systemic failure.
MAX_ROUNDS = 3


def _spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        f"gx_{table}", asset=dg.AssetKey([table]), blocking=True,
        description=f"Great Expectations suite expectations/{table}.json; a failure that traces to "
                    "reports sets them aside, any other blocks publication.",
    )


def _validate() -> list[GateResult]:
    frames = {table: read_table(build_db_path(), table) for table in gated_tables()}
    return validate_tables(frames, report_dir=warehouse_dir() / "gate_report",
                           progress=lambda done: progress.report("gates", done, len(frames)))


def gate_and_quarantine(dbt: ZhijiaoDbtCli) -> tuple[list[GateResult], list[str], str]:
    """The gates, with quarantine rounds while failures trace to reports: the final results, the
    reports set aside, and why publication stays blocked ("" when it need not)."""
    results, quarantine = _validate(), no_quarantine()
    for _ in range(MAX_ROUNDS):
        if all(r.success for r in results):
            return results, sorted(quarantine["source_file"].unique()), ""
        with duckdb.connect(str(build_db_path()), read_only=True) as con:
            findings = trace_failures(con, results)
            released_files, released_facts = releases(
                con.execute("select * from raw.fact_overrides").df(), con)
            loaded = con.execute("select count(*) from raw.documents where status = 'loaded'").fetchone()[0]
        decision = decide(findings, released_files, released_facts, quarantine, loaded)
        if decision.blocked:
            return results, sorted(quarantine["source_file"].unique()), decision.blocked
        quarantine = decision.quarantine
        write_quarantine(build_db_path(), quarantine)
        progress.report("set aside", len(decision.documents), len(decision.documents))
        rebuild_after_quarantine(dbt)
        results = _validate()
    still = [f"{r.table}: {line}" for r in results for line in r.failures]
    blocked = "; ".join(still[:5]) and (f"the gates still fail after {MAX_ROUNDS} rounds of quarantine: "
                                        + "; ".join(still[:5]))
    return results, sorted(quarantine["source_file"].unique()), blocked


# One step for every suite: one GX context and one gate report per round.
@dg.multi_asset_check(specs=[_spec(table) for table in gated_tables()])
def gx_gates(dbt: ZhijiaoDbtCli) -> Iterator[dg.AssetCheckResult]:
    results, quarantined, blocked = gate_and_quarantine(dbt)
    report = warehouse_dir() / "gate_report"
    for result in results:
        description = result.summary() + (f" — publication blocked: {blocked}"
                                          if blocked and not result.success else "")
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey([result.table]),
            check_name=f"gx_{result.table}",
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=description,
            metadata={"expectations": result.evaluated, "rows": result.row_count,
                      "gate_report": dg.MetadataValue.path(str(report / "index.html")),
                      "failures": dg.MetadataValue.json(result.failures),
                      "quarantined_reports": dg.MetadataValue.json(quarantined)},
        )


gx_checks = [gx_gates]
