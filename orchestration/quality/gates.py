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

from ..paths import expectations_dir

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
    rule: dict = field(default_factory=dict, repr=False)
    # The failing rows themselves (all of them), for tracing them to their documents.
    bad_rows: pd.DataFrame | None = field(default=None, repr=False)

    def line(self) -> str:
        count = "?" if self.unexpected_count is None else self.unexpected_count
        shown = "; ".join(map(str, self.sample[:3]))
        rule = f"{self.expectation}({self.column})"
        return (f"{self.note} [{rule}]: {count} bad rows, e.g. {shown}" if self.note
                else f"{rule}: {count} bad rows, e.g. {shown}")


def plain(value) -> str:
    """A value as a steward reads it: 371, 12.5, 新乡市; never np.int64(371)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "missing"
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:g}"
    return str(value)


def row_subject(row: pd.Series) -> str:
    """Whom a mart row is about, in words: "新乡市 2024", "fact 1a2b… in x.pdf"."""
    name = next((row[c] for c in ("entity_name", "entity") if c in row and pd.notna(row[c])), None)
    if name is None and "entity_id" in row:
        name = row["entity_id"]
    if name is None:
        return " ".join(plain(row[c]) for c in ("source_file", "fact_id") if c in row) or "a row"
    year = f" {plain(row['period_year'])}" if "period_year" in row else ""
    return f"{plain(name)}{year}"


def _range(low, high) -> str:
    missing = lambda v: v is None or pd.isna(v)  # noqa: E731
    return f"{'−∞' if missing(low) else plain(low)}–{'∞' if missing(high) else plain(high)}"


def row_failure(rule: dict, row: pd.Series) -> str:
    """What is wrong with one row under one rule, with its values in plain numbers."""
    kwargs = rule.get("kwargs", {})
    if (rule.get("meta") or {}).get("on") == INDICATOR_CELLS:
        return (f"{row['indicator']} {plain(row['value'])} outside "
                f"{_range(row['min_value'], row['max_value'])}")
    if "column_A" in kwargs:
        a, b = kwargs["column_A"], kwargs["column_B"]
        return f"{a} {plain(row.get(a))} {'<' if kwargs.get('or_equal') else '≤'} {b} {plain(row.get(b))}"
    if "column_list" in kwargs:
        return "duplicate " + ", ".join(f"{c} {plain(row.get(c))}" for c in kwargs["column_list"])
    column = kwargs.get("column")
    if column is None:
        return rule.get("type", "rule")
    text = f"{column} {plain(row.get(column))}"
    if "min_value" in kwargs or "max_value" in kwargs:
        text += f" outside {_range(kwargs.get('min_value'), kwargs.get('max_value'))}"
    elif "value_set" in kwargs:
        text += " not in " + "/".join(map(plain, kwargs["value_set"]))
    elif "row_condition" in kwargs:
        text += f" where {kwargs['row_condition']}"
    return text


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
    return expectations_dir() / f"{table}.json"


def gated_tables() -> list[str]:
    return sorted(p.stem for p in expectations_dir().glob("*.json"))


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
    frame = frame.reset_index(drop=True)  # GX names a bad row by its index label
    outcomes = _with_bad_rows(context, source, table, frame,
                              _run(context, source, table, frame, on_rows, "BASIC"))
    if on_cells:
        cells = indicator_cells(frame, suite["meta"]["indicator_ranges"])
        name = f"{table}.{INDICATOR_CELLS}"
        outcomes += _with_bad_rows(context, source, name, cells,
                                   _run(context, source, name, cells, on_cells, "BASIC"))
    failures = [o.line() for o in outcomes if not o.success]
    return GateResult(table, not failures, len(outcomes), failures, len(frame), outcomes)


def indicator_cells(frame: pd.DataFrame, ranges: dict[str, list]) -> pd.DataFrame:
    """One row per filled indicator cell of a wide mart, with the [min_value, max_value] of its column."""
    columns = [c for c in ranges if c in frame.columns]
    keys = [c for c in ["entity_id", *CELL_KEYS, "basis"] if c in frame.columns]
    cells = frame.melt(id_vars=keys, value_vars=columns, var_name="indicator",
                       value_name="value").dropna(subset=["value"])
    bounds = pd.DataFrame([(c, *ranges[c]) for c in columns], columns=["indicator", "min_value", "max_value"])
    return cells.merge(bounds, on="indicator").astype(
        {"value": "float64", "min_value": "float64", "max_value": "float64"}).reset_index(drop=True)


def _with_bad_rows(context, source, name: str, frame: pd.DataFrame,
                   outcomes: list[ExpectationOutcome]) -> list[ExpectationOutcome]:
    """The rules that failed run again in GX's COMPLETE format on their own: it lists every bad row's
    index (costly on a whole suite, cheap on the few that fail), and those rows are described."""
    failed = [o for o in outcomes if not o.success and o.rule]
    if not failed:
        return outcomes
    again = _run(context, source, f"{name}.failing", frame, [o.rule for o in failed], "COMPLETE")
    for outcome, complete in zip(failed, again):
        if complete.bad_rows is not None:
            outcome.bad_rows = complete.bad_rows
            outcome.sample = [f"{row_subject(r)}: {row_failure(outcome.rule, r)}"
                              for _, r in complete.bad_rows.head(20).iterrows()]
    return outcomes


def _run(context, source, name: str, frame: pd.DataFrame, rules: list[dict], result_format) -> list[ExpectationOutcome]:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    kept = [e for e in rules if _columns_present(e["kwargs"], frame)]
    expectations = [ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"],
                                             meta=e.get("meta", {})).to_domain_obj()
                    for e in kept]
    gx_suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    # Each result names its expectation by the id the suite gave it (GX rewrites kwargs: 2000 → 2000.0).
    by_id = {added.id: rule for added, rule in zip(gx_suite.expectations, kept)}
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_definition, suite=gx_suite))
    # No checkpoint: its bookkeeping costs ~1 s a refresh, and its one action (GX's data docs, which
    # need a CDN to render) is replaced by our own static report. BASIC still reports unexpected
    # counts and sample values; SUMMARY's value tallies cost ~1 s more on a whole suite.
    result = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
    return [_outcome(item, by_id.get(item.expectation_config.id), frame) for item in result.results]


def _outcome(item, rule: dict | None, frame: pd.DataFrame) -> ExpectationOutcome:
    config = item.expectation_config
    details = item.result or {}
    meta = config.meta or {}
    if meta.get("on") == INDICATOR_CELLS:
        column = "indicator columns"
    else:
        column = config.kwargs.get("column") or config.kwargs.get("column_list") or (
            f"{config.kwargs.get('column_A')} vs {config.kwargs.get('column_B')}")
        column = ", ".join(column) if isinstance(column, list) else str(column)
    sample = [" / ".join(map(plain, v)) if isinstance(v, tuple) else plain(v)
              for v in details.get("partial_unexpected_list") or []]
    index = details.get("unexpected_index_list")
    bad_rows = frame.loc[[i for i in index if i in frame.index]] if isinstance(index, list) else None
    return ExpectationOutcome(config.type, column, bool(item.success), details.get("unexpected_count"),
                              sample[:20], meta.get("notes", ""), rule or {}, bad_rows)


def _columns_present(kwargs: dict, frame: pd.DataFrame) -> bool:
    columns = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *(kwargs.get("column_list") or [])]
    return all(c in frame.columns for c in columns if c)
