"""Great Expectations gates: the suites in expectations/ run on pandas DataFrames read from DuckDB.

GX is imported lazily (it costs seconds) and only through this module. Its SQL path with
duckdb-engine is avoided on purpose: tables are read with duckdb and validated in pandas.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..paths import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@dataclass
class GateResult:
    table: str
    success: bool
    evaluated: int
    failures: list[str] = field(default_factory=list)
    row_count: int = 0

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


def _context(docs_dir: Path | None = None):
    """A fresh ephemeral GX context (milliseconds), so its data docs list this validation's results only."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    try:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # progress bars are cosmetic
        pass
    if docs_dir:
        context.add_data_docs_site(site_name="stewards", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
    return context, context.data_sources.add_pandas("zhijiao")


def validate_tables(frames: dict[str, pd.DataFrame], docs_dir: Path | None = None,
                    progress: Callable[[int], None] | None = None) -> list[GateResult]:
    """Each table's suite on its DataFrame; with docs_dir, GX data docs (an HTML site for stewards) are
    built there once, after the last. progress is told how many tables are done."""
    context, source = _context(docs_dir)
    results = []
    for table, frame in frames.items():
        results.append(_validate(context, source, table, frame))
        if progress:
            progress(len(results))
    if docs_dir:
        shutil.rmtree(docs_dir, ignore_errors=True)  # pages of earlier validations are no longer indexed
        context.build_data_docs(site_names=["stewards"])
    return results


def validate(table: str, frame: pd.DataFrame, suite: dict | None = None) -> GateResult:
    """Run a table's suite (expectations/{table}.json unless given) on a DataFrame."""
    return _validate(*_context(), table, frame, suite)


def _validate(context, source, table: str, frame: pd.DataFrame, suite: dict | None = None) -> GateResult:
    """Every failed expectation is described in one line."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    suite = suite or load_suite_dict(table)
    expectations = [
        ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e.get("meta", {})).to_domain_obj()
        for e in suite["expectations"]
        if _columns_present(e["kwargs"], frame)
    ]
    gx_suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
    batch_definition = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch_definition, suite=gx_suite))
    # The definition stores its result for the data docs. No checkpoint: its bookkeeping costs
    # ~1 s a refresh, and its one action (the docs) is built once for all tables instead.
    # BASIC still reports unexpected counts and sample values; SUMMARY's value tallies cost ~1 s more.
    result = definition.run(batch_parameters={"dataframe": frame}, result_format="BASIC")
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        column = config.kwargs.get("column") or config.kwargs.get("column_list") or (
            f"{config.kwargs.get('column_A')} vs {config.kwargs.get('column_B')}"
        )
        sample = (item.result or {}).get("partial_unexpected_list") or []
        failures.append(f"{config.type}({column}): {(item.result or {}).get('unexpected_count', '?')} bad rows, e.g. {sample[:3]}")
    return GateResult(table, bool(result.success), len(expectations), failures, len(frame))


def _columns_present(kwargs: dict, frame: pd.DataFrame) -> bool:
    columns = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *(kwargs.get("column_list") or [])]
    return all(c in frame.columns for c in columns if c)
