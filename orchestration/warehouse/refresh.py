"""Run the yearly_refresh job through Dagster (so it shows in the UI's run history) and summarise it."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from ..errors import ZhijiaoError
from ..paths import build_db_path, parse_cache_dir, published_db_path, raw_dir
from .fingerprint import inputs_fingerprint, published_is_current
from ..intake.parse_ahead import start_parsing_ahead
from .lock import holding_refresh_lock
from .publication import clean_leftovers
from ..quality.quarantine import quarantined_reports
from .store import published_row_counts


@dataclass
class CheckOutcome:
    name: str
    passed: bool
    detail: str


@dataclass
class RefreshOutcome:
    raw_dir: str
    published: bool
    reason: str = ""
    documents: pd.DataFrame | None = None
    checks: list[CheckOutcome] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    up_to_date: bool = False
    overrides_applied: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, why) set aside by the gates


def _documents() -> pd.DataFrame | None:
    if not build_db_path().exists():
        return None
    try:
        with duckdb.connect(str(build_db_path()), read_only=True) as con:
            return con.execute("select * from raw.documents order by file_name").df()
    except duckdb.Error:
        return None


def _overrides_applied() -> list[str]:
    """Each steward override the build applied, with the issues it answers, in words."""
    try:
        with duckdb.connect(str(build_db_path()), read_only=True) as con:
            rows = con.execute("""
                select f.override_action, f.source_file, f.entity, f.period_year, f.indicator,
                    list(distinct f.extracted_value order by f.extracted_value),
                    any_value(f.value), string_agg(distinct i.rule, ', ' order by i.rule)
                from int_facts_checked as f
                left join data_quality_issues as i
                    on i.source_file = f.source_file and i.entity_id = f.entity_id
                    and i.period_year = f.period_year
                    and i.indicator = f.indicator and i.rule <> 'quarantined'
                where f.override_action is not null
                group by all order by all""").fetchall()
    except duckdb.Error:  # the build stopped before dbt: nothing was applied
        return []
    applied = []
    for action, file, entity, year, indicator, extracted, value, rules in rows:
        stated = ", ".join(f"{v:g}" for v in extracted)
        change = f"{stated} → {value:g}" if action == "accept_value" else f"{stated} kept"
        applied.append(f"{action} {entity} {year} {indicator} in {file}: {change}"
                       + (f" ({rules} marked {'corrected' if action == 'accept_value' else 'dismissed'})" if rules else ""))
    return applied


def _root_error(error):
    """The innermost cause of a Dagster step error: the one the user can act on."""
    while error is not None and error.cause is not None:
        error = error.cause
    return error


def _domain_message(error) -> str | None:
    """A ZhijiaoError's own message (what, which file, what to do), without the exception's name."""
    if error is None or error.cls_name not in _subclasses(ZhijiaoError):
        return None
    head, _, rest = error.message.partition(": ")
    return (rest if head.endswith(error.cls_name) else error.message).strip()


def _subclasses(cls) -> set[str]:
    return {cls.__name__} | {name for sub in cls.__subclasses__() for name in _subclasses(sub)}


def run_refresh(force: bool = False, verbose: bool = False) -> RefreshOutcome:
    """One yearly_refresh run; skipped when nothing it reads changed since the last publish (unless force).
    RefreshLocked when another refresh of this warehouse is running."""
    with holding_refresh_lock():
        return _run_refresh(force, verbose)


def _run_refresh(force: bool, verbose: bool) -> RefreshOutcome:
    if not force and published_is_current(inputs_fingerprint()):
        clean_leftovers()  # of a publish that crashed before its switch
        return RefreshOutcome(str(raw_dir()), published=True, up_to_date=True, row_counts=published_row_counts(published_db_path()),
                              reason="nothing in raw/, the overrides or the project changed since the last publish")

    start_parsing_ahead(raw_dir(), parse_cache_dir())  # on the other cores, while Dagster and the definitions load
    from dagster import DagsterInstance

    from ..definitions import defs

    job = defs.resolve_job_def("yearly_refresh")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            # Failures are summarised from the run below, each as one line; their stack traces stay in
            # the run's history (the Dagster UI). Dagster's own event log on the console only with --verbose.
            run_config={"loggers": {"console": {"config": {"log_level": "INFO" if verbose else "CRITICAL"}}}},
        )
    checks = [
        CheckOutcome(e.asset_check_key.name, e.passed, e.description or "")
        for e in result.get_asset_check_evaluations()
    ]
    published = [
        e for e in result.get_asset_materialization_events()
        if e.asset_key is not None and e.asset_key.to_user_string() == "published_warehouse"
    ]
    failed_steps = {e.step_key for e in result.get_step_failure_events()}
    # A load that failed left the build database as the last refresh had it: its documents are not this run's.
    loaded = "load_build_database" not in failed_steps
    outcome = RefreshOutcome(str(raw_dir()), bool(published), documents=_documents() if loaded else None, checks=checks,
                             overrides_applied=_overrides_applied() if loaded else [],
                             quarantined=quarantined_reports(build_db_path()) if loaded else [])
    if published:
        metadata = published[0].step_materialization_data.materialization.metadata
        outcome.row_counts = {k.removeprefix("rows_"): v.value for k, v in metadata.items() if k.startswith("rows_")}
        return outcome
    failed_checks = [c for c in checks if not c.passed]
    if failed_checks:
        outcome.reason = "a blocking gate failed: " + " | ".join(f"{c.name}: {c.detail}" for c in failed_checks)
    else:
        roots = [(e.step_key, _root_error(e.step_failure_data.error)) for e in result.get_step_failure_events()]
        domain = [m for _, root in roots if (m := _domain_message(root))]
        failures = [f"{step}: {root.message.strip() if root else 'failed'}" for step, root in roots]
        outcome.reason = domain[0] if domain else "a step failed: " + (" | ".join(failures) or "see the run in the Dagster UI")
    return outcome
