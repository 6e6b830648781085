"""zhijiao: refresh | extract | query | export | report | eval | codegen | ui."""

from __future__ import annotations

import argparse
import atexit
import csv
import gc
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .paths import REPO_ROOT, build_db_path, published_db_path, warehouse_dir

console = Console()


def _skip_collection_at_exit() -> None:
    gc.disable()
    gc.freeze()


# Interpreter teardown runs the cyclic collector over everything Dagster, dbt and GX loaded (~1.5 s
# a command). Freezing those objects skips only that pass: registered before they load, this runs
# after every other exit handler, and objects are still released by reference counting.
atexit.register(_skip_collection_at_exit)


def _quiet_telemetry() -> None:
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def ensure_dagster_home() -> Path:
    """DAGSTER_HOME (default .dagster_home/) with telemetry off, so runs show in the UI's history."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return home


def _cell(value) -> str:
    """Blank for missing values, whole numbers without a trailing .0."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(title: str, columns: list[str], rows) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    return table


def cmd_refresh(args) -> int:
    if args.raw:
        os.environ["ZHIJIAO_RAW_DIR"] = str(Path(args.raw).resolve())
    ensure_dagster_home()
    from .errors import ZhijiaoError
    from .warehouse.refresh import run_refresh

    try:
        outcome = run_refresh(force=args.force)
    except ZhijiaoError as exc:
        console.print(f"[bold red]Not refreshed:[/] {exc.message}", soft_wrap=True)
        return 1
    if outcome.up_to_date:
        console.print(f"Up to date: {outcome.reason}; {published_db_path()} is current (use --force to rebuild).",
                      soft_wrap=True)
        console.print(_table("Published", ["table", "rows"], outcome.row_counts.items()))
        return 0
    docs = outcome.documents
    if docs is not None and len(docs):
        loaded = docs[docs["status"] == "loaded"]
        console.print(_table(f"Read {len(docs)} file(s) from {outcome.raw_dir}", ["file", "status", "subject", "facts"],
                             loaded[["file_name", "status", "subject", "fact_count"]].itertuples(index=False)))
        rejected = docs[docs["status"] != "loaded"]
        if len(rejected):
            console.print(_table("Rejected", ["file", "status", "reason"],
                                 rejected[["file_name", "status", "reason"]].itertuples(index=False)))
    gates = [c for c in outcome.checks if c.name.startswith("gx_")]
    dbt_tests = [c for c in outcome.checks if not c.name.startswith("gx_")]
    console.print(_table("Gates (Great Expectations suites in expectations/)", ["gate", "result", "detail"],
                         [(c.name, "pass" if c.passed else "FAIL", c.detail) for c in gates]))
    failed_tests = [c.name for c in dbt_tests if not c.passed]
    console.print(f"dbt tests: {len(dbt_tests) - len(failed_tests)} passed, {len(failed_tests)} failed"
                  + (f" ({', '.join(failed_tests)})" if failed_tests else ""))
    if outcome.published:
        console.print(_table(f"Published {published_db_path()}", ["table", "rows"], outcome.row_counts.items()))
        return 0
    console.print(f"[bold red]Not published:[/] {outcome.reason}", soft_wrap=True)
    console.print(f"The last published data in {published_db_path()} is unchanged.", soft_wrap=True)
    return 1


def cmd_extract(args) -> int:
    from .extraction.confidence import accepted
    from .extraction.documents import NotAReport, report_meta
    from .extraction.extract import FACT_COLUMNS, extract_report
    from .intake.inventory import max_pages
    from .reports.pdf import ReportError, parse_pdf

    rows, status = [], 0
    for name in args.files:
        path = Path(name)
        try:
            parsed = parse_pdf(path, max_pages=max_pages())
            meta = report_meta(parsed, path.name)
            facts = extract_report(parsed, path.name, meta=meta)
        except (ReportError, NotAReport, OSError) as exc:
            console.print(f"[red]skipped[/] {getattr(exc, 'message', None) or exc}")
            status = 1
            continue
        flowing = accepted(facts)
        rows.extend(asdict(f) for f in (facts if args.include_review else flowing))
        if args.explain:
            from .extraction.explain import explain

            explain(console, parsed, meta, facts)
        else:
            console.print(f"{path.name}: {meta.subject} ({meta.level}, {meta.admin_code}), report year {meta.report_year}, "
                          f"body year {meta.body_year}: {len(flowing)} facts, {len(facts) - len(flowing)} for review")
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FACT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        console.print(f"wrote {len(rows)} facts to {args.out}")
    return status


def cmd_query(args) -> int:
    from .warehouse.store import query_published

    try:
        frame = query_published(published_db_path(), args.sql)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    except Exception as exc:  # SQL errors are the user's to fix: say what DuckDB said
        console.print(f"[red]query failed:[/] {exc}")
        return 1
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        console.print(_table(f"{len(frame)} row(s)", list(frame.columns), frame.itertuples(index=False)))
    return 0


def cmd_export(args) -> int:
    from .warehouse.store import export_published

    try:
        written = export_published(published_db_path(), Path(args.out), args.format)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    for path in written:
        console.print(f"wrote {path}")
    return 0


def cmd_report(args) -> int:
    from .warehouse.report import write_report

    try:
        path = write_report(published_db_path(), Path(args.out))
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    console.print(f"wrote {path}")
    return 0


def cmd_eval(args) -> int:
    from .extraction.evaluate import run_eval

    return run_eval(console, Path(args.reports), Path(args.gold))


def cmd_codegen(args) -> int:
    from .extraction.divisions import build_admin_divisions
    from .warehouse.dbt_codegen import write

    if args.admin_divisions:
        console.print(f"admin_divisions: {build_admin_divisions()} divisions")
    for path in write():
        console.print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


def cmd_ui(args) -> int:
    ensure_dagster_home()
    dagster = Path(sys.executable).with_name("dagster")
    os.execv(str(dagster), [str(dagster), "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(args.port)])
    return 0  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    _quiet_telemetry()
    parser = argparse.ArgumentParser(prog="zhijiao", description="Vocational-education quality report warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh", help="run the yearly_refresh job through Dagster and publish")
    p.add_argument("--raw", help="folder of report PDFs (default raw/ or ZHIJIAO_RAW_DIR)")
    p.add_argument("--force", action="store_true", help="rebuild and republish even when nothing changed")
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser("extract", help="extract facts from PDF files")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", help="CSV file to write")
    p.add_argument("--explain", action="store_true",
                   help="for every number: the indicator it was read as, the runner-up, and why")
    p.add_argument("--include-review", action="store_true",
                   help="also write facts below the confidence threshold (they wait for a steward, out of the marts)")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("query", help="read-only SQL on warehouse/published.duckdb")
    p.add_argument("sql")
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p.set_defaults(func=cmd_query)
    p = sub.add_parser("export", help="write every published table as Parquet or CSV")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("report", help="write one self-contained HTML page of comparisons, charts and open issues")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("eval", help="score extraction against hand-labelled gold facts")
    p.add_argument("--reports", default=str(REPO_ROOT / "raw"))
    p.add_argument("--gold", default=str(REPO_ROOT / "tests" / "gold"))
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("codegen", help="regenerate catalog-driven dbt files and GX suites")
    p.add_argument("--admin-divisions", action="store_true", help="also rebuild the admin_divisions seed from cpca")
    p.set_defaults(func=cmd_codegen)
    p = sub.add_parser("ui", help="start the Dagster UI on 127.0.0.1")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_ui)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
