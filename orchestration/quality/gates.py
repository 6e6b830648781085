"""Great Expectations gates: the suites in expectations/ run on pandas DataFrames read from DuckDB.

GX is imported lazily (it costs seconds) and only through this module. Its SQL path with
duckdb-engine is avoided on purpose: tables are read with duckdb and validated in pandas.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..paths import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Rules with meta "on": INDICATOR_CELLS run on a wide mart's indicator cells as rows, each with the
# range the suite's meta "indicator_ranges" gives its column (dbt_codegen.mart_suite).
INDICATOR_CELLS = "indicator_cells"
CELL_KEYS = ["entity_name", "period_year", "indicator"]


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str
    success: bool
    unexpected_count: int | None = None
    sample: list = field(default_factory=list)
    note: str = ""

    def line(self) -> str:
        count = "?" if self.unexpected_count is None else self.unexpected_count
        return f"{self.expectation}({self.column}): {count} bad rows, e.g. {self.sample[:3]}"


@dataclass
class GateResult:
    table: str
    success: bool
    evaluated: int
    failures: list[str] = field(default_factory=list)
    row_count: int = 0
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    def summary(self) -> str:
        if self.success:
            return f"{self.table}: {self.evaluated} expectations passed on {self.row_count} rows"
        return f"{self.table}: {len(self.failures)} of {self.evaluated} expectations failed — " + "; ".join(self.failures[:5])


def suite_path(table: str) -> Path:
    return EXPECTATIONS_DIR / f"{table}.json"


def gated_tables() -> list[str]:
    return sorted(p.stem for p in EXPECTATIONS_DIR.glob("*.json"))


def load_suite_dict(table: str) -> dict:
    with open(suite_path(table), encoding="utf-8") as handle:
        return json.load(handle)


def warm_up_in_background() -> None:
    """Import GX on a thread while another step waits on a subprocess (dbt): the gates then start at once."""
    threading.Thread(target=lambda: __import__("great_expectations"), name="gx-warm-up", daemon=True).start()


def _context():
    """A fresh ephemeral GX context (milliseconds)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    try:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # progress bars are cosmetic
        pass
    return context, context.data_sources.add_pandas("zhijiao")


def validate_tables(frames: dict[str, pd.DataFrame], report_dir: Path | None = None,
                    progress: Callable[[int], None] | None = None) -> list[GateResult]:
    """Each table's suite on its DataFrame; with report_dir, a static HTML gate report for stewards is
    written there (gate_report.py). progress is told how many tables are done."""
    context, source = _context()
    results = []
    for table, frame in frames.items():
        results.append(_validate(context, source, table, frame))
        if progress:
            progress(len(results))
    if report_dir:
        from .gate_report import write_gate_report

        write_gate_report(results, report_dir)
    return results


def validate(table: str, frame: pd.DataFrame, suite: dict | None = None) -> GateResult:
    """Run a table's suite (expectations/{table}.json unless given) on a DataFrame."""
    return _validate(*_context(), table, frame, suite)


def _validate(context, source, table: str, frame: pd.DataFrame, suite: dict | None = None) -> GateResult:
    """Every failed expectation is described in one line."""
    suite = suite or load_suite_dict(table)
    on_cells = [e for e in suite["expectations"] if (e.get("meta") or {}).get("on") == INDICATOR_CELLS]
    on_rows = [e for e in suite["expectations"] if e not in on_cells]
    outcomes = _run(context, source, table, frame, on_rows, "BASIC")
    if on_cells:
        cells = indicator_cells(frame, suite["meta"]["indicator_ranges"])
        # SUMMARY: a bad cell's sample names its column and entity, not just the value.
        outcomes += _run(context, source, f"{table}.{INDICATOR_CELLS}", cells, on_cells,
                         {"result_format": "SUMMARY", "unexpected_index_column_names": CELL_KEYS})
    failures = [o.line() for o in outcomes if not o.success]
    return GateResult(table, not failures, len(outcomes), failures, len(frame), outcomes)


def indicator_cells(frame: pd.DataFrame, ranges: dict[str, list]) -> pd.DataFrame:
    """One row per filled indicator cell of a wide mart, with the [min_value, max_value] of its column."""
    columns = [c for c in ranges if c in frame.columns]
    cells = frame.melt(id_vars=[c for c in CELL_KEYS if c in frame.columns], value_vars=columns,
                       var_name="indicator", value_name="value").dropna(subset=["value"])
    bounds = pd.DataFrame([(c, *ranges[c]) for c in columns], columns=["indicator", "min_value", "max_value"])
    return cells.merge(bounds, on="indicator").astype({"value": "float64", "min_value": "float64", "max_value": "float64"})


def _run(context, source, name: str, frame: pd.DataFrame, rules: list[dict], result_format) -> list[ExpectationOutcome]:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = [
        ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e.get("meta", {})).to_domain_obj()
        for e in rules if _columns_present(e["kwargs"], frame)
    ]
    gx_suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_definition, suite=gx_suite))
    # No checkpoint: its bookkeeping costs ~1 s a refresh, and its one action (GX's data docs, which
    # need a CDN to render) is replaced by our own static report. BASIC still reports unexpected
    # counts and sample values; SUMMARY's value tallies cost ~1 s more on a whole suite.
    result = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
    return [_outcome(item) for item in result.results]


def _outcome(item) -> ExpectationOutcome:
    config = item.expectation_config
    details = item.result or {}
    meta = config.meta or {}
    if meta.get("on") == INDICATOR_CELLS:
        column = "indicator columns"
        sample = [f"{row['indicator']}={row.get('value')} ({row['entity_name']} {row['period_year']})"
                  for row in details.get("partial_unexpected_index_list") or []]
    else:
        column = config.kwargs.get("column") or config.kwargs.get("column_list") or (
            f"{config.kwargs.get('column_A')} vs {config.kwargs.get('column_B')}")
        column = ", ".join(column) if isinstance(column, list) else str(column)
        sample = list(details.get("partial_unexpected_list") or [])
    return ExpectationOutcome(config.type, column, bool(item.success), details.get("unexpected_count"),
                              sample[:20], meta.get("notes", ""))


def _columns_present(kwargs: dict, frame: pd.DataFrame) -> bool:
    columns = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *(kwargs.get("column_list") or [])]
    return all(c in frame.columns for c in columns if c)
