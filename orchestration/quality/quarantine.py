"""Quarantine (隔离): a blocking gate that fails on rows resting on particular reports sets those
reports aside, and the marts are rebuilt without them, so one misread report never blocks the rest.

Plain functions over the build database; the Dagster gate step (defs/quality/checks.py) wires them
to the GX gates and the dbt rebuild. A failing row is traced through int_figures_traced (the facts
each mart figure rests on) to its facts and files. Publication stays blocked when a failure traces
to no report (a model bug, a schema change), to facts a steward released, or to more reports than
quarantine_limit allows: then something systemic is wrong.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import ZhijiaoError
from ..warehouse.store import QUARANTINE_DDL
from .gates import ExpectationOutcome, GateResult, row_failure, row_subject

QUARANTINE_COLUMNS = ["source_file", "fact_id", "gate", "detail"]
# More than this share of the loaded reports set aside in one refresh is no longer a few odd
# reports but something systemic (a rule or model bug, a changed layout): publication stops.
MAX_QUARANTINE_SHARE = 0.10
MIN_QUARANTINE_LIMIT = 3  # a small corpus may still set aside a few
LEVEL_OF_TABLE = {"school_year": "school", "county_year": "county", "city_year": "city",
                  "province_year": "province"}
TRACE_KEYS = ["row", "level", "entity_id", "period_year", "basis", "indicator"]
FACT_TABLES = {"stg_facts", "facts"}  # a row is one fact: traced by its fact_id


def no_quarantine() -> pd.DataFrame:
    return pd.DataFrame(columns=QUARANTINE_COLUMNS, dtype="object")


class QuarantineSettingError(ZhijiaoError, ValueError):
    """ZHIJIAO_MAX_QUARANTINE_SHARE is not a share."""


def quarantine_share() -> float:
    text = os.environ.get("ZHIJIAO_MAX_QUARANTINE_SHARE", "").strip()
    if not text:
        return MAX_QUARANTINE_SHARE
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise QuarantineSettingError(f"ZHIJIAO_MAX_QUARANTINE_SHARE={text!r} is not a share of the reports: "
                                     "give a number from 0 to 1 (such as 0.1), or unset it for "
                                     f"{MAX_QUARANTINE_SHARE}.")
    return share


def quarantine_limit(loaded_reports: int) -> int:
    """How many reports one refresh may set aside; never all of them (that publishes nothing)."""
    return min(max(MIN_QUARANTINE_LIMIT, math.floor(quarantine_share() * loaded_reports)), loaded_reports - 1)


@dataclass
class Finding:
    """One failing row: where, what, and the facts (with their files) it rests on."""
    gate: str
    message: str
    facts: pd.DataFrame  # fact_id, source_file; empty when the row rests on no fact
    on_rollup: bool = False


@dataclass
class Decision:
    quarantine: pd.DataFrame = field(default_factory=no_quarantine)  # rows to add to raw.quarantine
    blocked: str = ""  # why publication must stay blocked; empty when quarantine settles it

    @property
    def documents(self) -> list[str]:
        return sorted(self.quarantine["source_file"].unique())


def trace_failures(con: duckdb.DuckDBPyConnection, results: list[GateResult]) -> list[Finding]:
    """Every failing row of every gate, traced to the facts it rests on."""
    findings = []
    for result in results:
        for outcome in result.outcomes:
            if outcome.success:
                continue
            gate = f"gx_{result.table} ({outcome.note or outcome.expectation})"
            if outcome.bad_rows is None or outcome.bad_rows.empty:
                findings.append(Finding(gate, f"{result.table}: {outcome.line()}", _no_facts()))
                continue
            findings += _trace_rows(con, result.table, gate, outcome)
    return findings


def _no_facts() -> pd.DataFrame:
    return pd.DataFrame(columns=["fact_id", "source_file"])


def _trace_rows(con, table: str, gate: str, outcome: ExpectationOutcome) -> list[Finding]:
    rows = outcome.bad_rows.reset_index(drop=True)
    facts, rollup_of = _facts_behind(con, table, rows, outcome.rule)
    findings = []
    for number, row in rows.iterrows():
        mine = facts[facts["row"] == number][["fact_id", "source_file"]].drop_duplicates()
        rollup = rollup_of.get(number)
        subject = row_subject(row) + (f" (rollup of {rollup})" if rollup else "")
        files = ", ".join(sorted(mine["source_file"].unique())) or "no report"
        message = f"{table}: {subject}: {row_failure(outcome.rule, row)} — from {files}"
        findings.append(Finding(gate, message, mine, on_rollup=bool(rollup)))
    return findings


def _facts_behind(con, table: str, rows: pd.DataFrame, rule: dict) -> tuple[pd.DataFrame, dict[int, str]]:
    """(row, fact_id, source_file) for each bad row, and what each rollup row was made of."""
    if "fact_id" in rows.columns and table in FACT_TABLES:
        keys = pd.DataFrame({"row": rows.index, "fact_id": rows["fact_id"]})
        con.register("bad_rows", keys)
        facts = con.execute("""select b.row, b.fact_id, f.source_file from bad_rows as b
                               join stg_facts as f using (fact_id)""").df()
        con.unregister("bad_rows")
        return facts, {}
    if table == "data_quality_issues":
        keys = rows[["source_file", "entity_id", "period_year", "indicator"]].assign(row=rows.index)
        con.register("bad_rows", keys)
        facts = con.execute("""select b.row, f.fact_id, f.source_file from bad_rows as b
                               join int_facts_checked as f
                                   using (source_file, entity_id, period_year, indicator)""").df()
        con.unregister("bad_rows")
        return facts, {}
    keys = _figure_keys(table, rows, rule)
    if keys.empty:
        return pd.DataFrame(columns=["row", "fact_id", "source_file"]), {}
    con.register("bad_rows", keys)
    traced = con.execute("""
        select b.row, t.fact_id, t.source_file, t.rollup_of
        from bad_rows as b
        join int_figures_traced as t
            on t.level = b.level and t.entity_id = b.entity_id and t.period_year = b.period_year
            and (b.basis is null or t.basis = b.basis)
            and (b.indicator is null or t.indicator = b.indicator)""").df()
    con.unregister("bad_rows")
    rollup_of = traced.dropna(subset=["rollup_of"]).groupby("row")["rollup_of"].first().to_dict()
    return traced, rollup_of


def _figure_keys(table: str, rows: pd.DataFrame, rule: dict) -> pd.DataFrame:
    """The mart figures a bad row shows: its level, entity, year(s), basis and indicator(s)."""
    level = LEVEL_OF_TABLE.get(table)
    if (level is None and "level" not in rows.columns) or "entity_id" not in rows.columns:
        return pd.DataFrame(columns=TRACE_KEYS)
    kwargs = rule.get("kwargs", {})
    named = [kwargs[c] for c in ("column_A", "column_B")
             if kwargs.get(c) not in (None, "value", "min_value", "max_value")]
    keys = []
    for number, row in rows.iterrows():
        years = [(row.get("period_year"), row.get("basis"))]
        if pd.notna(row.get("prev_period_year", None)):
            years.append((row["prev_period_year"], row.get("prev_basis")))
        if "indicator" in rows.columns:
            indicators = [row["indicator"]]
        else:  # a wide row: the columns the rule compares, or every indicator of the row
            indicators = [c for c in named if c in rows.columns] or [None]
        for year, basis in years:
            if pd.isna(year):  # no year, no figure: the row rests on no report
                continue
            basis = (basis if level != "school" and pd.notna(basis)
                     else ("reported" if level == "school" else None))
            for indicator in indicators:
                keys.append((number, level or row["level"], row["entity_id"], int(year), basis, indicator))
    return pd.DataFrame(keys, columns=TRACE_KEYS)


def decide(findings: list[Finding], released_files: set[str], released_facts: set[str],
           already: pd.DataFrame, loaded_reports: int) -> Decision:
    """Which reports (or, in a released report, which facts) to set aside for these failures.

    Failures on a report's own figures come first: a rollup above a bad report fails with it and
    clears once the report is set aside, so rollup rows are traced only when nothing else fails."""
    own = [f for f in findings if not f.on_rollup]
    considered = own or findings
    rows, untraceable = [], []
    for finding in considered:
        facts = finding.facts[~finding.facts["fact_id"].isin(released_facts)]
        if facts.empty:
            untraceable.append(finding.message
                               + (" (a fact a steward released)" if not finding.facts.empty else ""))
            continue
        for file, of_file in facts.groupby("source_file"):
            if file in released_files:  # released: only the facts the row rests on stay aside
                rows += [(file, fact, finding.gate, finding.message) for fact in of_file["fact_id"]]
            else:
                rows.append((file, None, finding.gate, finding.message))
    if untraceable:
        return Decision(blocked="a gate failed on rows that rest on no report the refresh may set aside: "
                                + "; ".join(untraceable[:5]))
    new = pd.DataFrame(rows, columns=QUARANTINE_COLUMNS).drop_duplicates()
    combined = pd.concat([already, new], ignore_index=True).drop_duplicates()
    documents = combined["source_file"].nunique()
    limit = quarantine_limit(loaded_reports)
    if documents > limit:
        shown = ", ".join(sorted(combined["source_file"].unique())[:10])
        return Decision(blocked=f"the gates would set aside {documents} of {loaded_reports} reports, "
                                f"more than the {limit} allowed ({quarantine_share():.0%} of the reports, "
                                f"at least {MIN_QUARANTINE_LIMIT}, never all; ZHIJIAO_MAX_QUARANTINE_SHARE): "
                                f"something systemic is wrong, not a few odd reports ({shown}). "
                                "Check the failing gates in the gate report before publishing.")
    if len(combined) == len(already):  # nothing new to set aside: the same rows fail again
        return Decision(blocked="a gate still fails after its reports were set aside: "
                                + "; ".join(f.message for f in considered[:5]))
    return Decision(quarantine=combined)


def releases(overrides: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """Files and fact_ids a steward released (release lines in overrides/fact_overrides.csv)."""
    lines = overrides[overrides["action"] == "release"]
    files = set(lines.loc[lines["period_year"].isna(), "source_file"])
    facts = set(con.execute("""select fact_id from int_facts_checked
                               where override_action = 'release'""").df()["fact_id"])
    return files, facts


def write_quarantine(db_path: Path, quarantine: pd.DataFrame) -> None:
    with duckdb.connect(str(db_path)) as con:
        con.execute(QUARANTINE_DDL)
        con.execute("delete from raw.quarantine")
        if len(quarantine):
            con.register("frame", quarantine[QUARANTINE_COLUMNS].astype("object"))
            con.execute("insert into raw.quarantine select * from frame")
            con.unregister("frame")


def quarantined_reports(db_path: Path) -> list[tuple[str, str]]:
    """Each report set aside in the last build, with its reason in one line (for the summary)."""
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return con.execute("""
                select source_file,
                    case when count(fact_id) > 0
                        then count(distinct fact_id) || ' fact(s) of this released report set aside: '
                        else '' end
                    || string_agg(distinct detail || ' [' || gate || ']', '; ')
                from raw.quarantine group by all order by 1""").fetchall()
    except duckdb.Error:
        return []
