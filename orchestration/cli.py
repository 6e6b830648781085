"""zhijiao: refresh | extract | tables | describe | query | export | report | eval | codegen | ui."""

from __future__ import annotations

import argparse
import atexit
import csv
import gc
import os
import shutil
import signal
import sys
import time
import warnings
from dataclasses import asdict
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import ZhijiaoError
from .paths import REPO_ROOT, published_db_path, warehouse_dir

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


DAGSTER_YAML_HEADER = "# Copied into DAGSTER_HOME by the zhijiao CLI"


def ensure_dagster_home() -> Path:
    """DAGSTER_HOME (default .dagster_home/) with telemetry off, so runs show in the UI's history."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    ours, theirs = REPO_ROOT / "dagster.yaml", home / "dagster.yaml"
    if not theirs.exists() or theirs.read_text(encoding="utf-8").startswith(DAGSTER_YAML_HEADER):
        shutil.copy(ours, theirs)  # missing, or a copy of ours that may be older; a user's own file is kept
    return home


def _cell(value) -> str:
    """Blank for missing values, whole numbers without a trailing .0; data, never rich markup."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape(str(value))


def _table(title: str, columns: list[str], rows) -> Table:
    table = Table(title=title or None, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    return table


class StageProgress:
    """Each refresh stage as it runs: rich bars on a terminal, else one line as each stage ends."""

    def __init__(self, out: Console):
        # Bound to the stdout of now: a stage may swallow tools' stdout while it runs (progress.quiet_stdout).
        self.out = Console(file=out.file, force_terminal=out.is_terminal, width=out.width)
        self.bars = Progress(TextColumn("{task.description:<13}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             console=self.out) if out.is_terminal else None
        self.tasks: dict[str, int] = {}
        self.started: dict[str, float] = {}

    def __enter__(self):
        if self.bars:
            self.bars.start()
        return self

    def __exit__(self, *exc):
        if self.bars:
            self.bars.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bars:
            if stage not in self.tasks:
                self.tasks[stage] = self.bars.add_task(stage, total=total)
            self.bars.update(self.tasks[stage], completed=done, total=total)
            return
        self.started.setdefault(stage, time.perf_counter())
        if done >= total and self.tasks.setdefault(stage, 0) == 0:
            self.tasks[stage] = 1
            self.out.print(f"{stage:<13} {done}/{total}  {time.perf_counter() - self.started[stage]:.1f} s")


MAX_LISTED_FILES = 20


def _refresh_summary(outcome) -> None:
    docs = outcome.documents
    if docs is not None and len(docs):
        loaded = docs[docs["status"] == "loaded"]
        rejected = docs[docs["status"] != "loaded"]
        title = (f"Read {len(docs)} file(s) from {outcome.raw_dir}: {len(loaded)} loaded with "
                 f"{int(loaded['fact_count'].sum())} facts, {len(rejected)} rejected")
        console.print(title, soft_wrap=True)
        if len(loaded) <= MAX_LISTED_FILES:
            console.print(_table("", ["file", "subject", "facts"],
                                 loaded[["file_name", "subject", "fact_count"]].itertuples(index=False)))
        if len(rejected):
            console.print(_table("Rejected (the reason says what to do)", ["file", "status", "reason"],
                                 rejected[["file_name", "status", "reason"]].head(MAX_LISTED_FILES).itertuples(index=False)))
            if len(rejected) > MAX_LISTED_FILES:
                console.print(f"… and {len(rejected) - MAX_LISTED_FILES} more: select * from documents where status <> 'loaded'")
        _ocr_summary(docs)
    if outcome.quarantined:
        goes_on = ", the rest goes on" if outcome.published else ""
        console.print(f"Set aside by the gates: {len(outcome.quarantined)} report(s){goes_on}. Correct "
                      "the value with an accept_value line, or release the report with a release line, in "
                      "overrides/fact_overrides.csv, then refresh.", soft_wrap=True)
        for file, why in outcome.quarantined[:MAX_LISTED_FILES]:
            console.print(f"  {file}: {why}", soft_wrap=True, markup=False)
        if len(outcome.quarantined) > MAX_LISTED_FILES:
            console.print(f"… and {len(outcome.quarantined) - MAX_LISTED_FILES} more: "
                          "select * from documents where quarantined")
    gates = [c for c in outcome.checks if c.name.startswith("gx_")]
    dbt_tests = [c for c in outcome.checks if not c.name.startswith("gx_")]
    failed = [c for c in outcome.checks if not c.passed]
    console.print(f"Gates: {sum(c.passed for c in gates)} of {len(gates)} passed; dbt tests: "
                  f"{sum(c.passed for c in dbt_tests)} of {len(dbt_tests)} passed")
    if failed:
        console.print(_table("Failed", ["check", "detail"], [(c.name, c.detail) for c in failed]))
    report = warehouse_dir() / "gate_report" / "index.html"
    if gates and report.exists():
        console.print(f"Gate report: {report}", soft_wrap=True)
    for line in outcome.overrides_applied:
        console.print(f"Override applied: {line}", soft_wrap=True)


def _ocr_summary(docs) -> None:
    """Scanned pages read by OCR, and the pages it could not read (the rest of each file is loaded)."""
    read = docs[docs["ocr_pages"] > 0]
    if not len(read):
        return
    console.print(f"OCR read {int(read['ocr_pages'].sum())} page(s) of {len(read)} file(s) (scans, tables "
                  "pasted as pictures); their facts have method prose_ocr or table_ocr.", soft_wrap=True)
    troubled = read[read["page_problems"].fillna("") != ""]
    if len(troubled):
        console.print(_table("Pages OCR could not read (the rest of the file is loaded)", ["file", "pages"],
                             troubled[["file_name", "page_problems"]].head(MAX_LISTED_FILES).itertuples(index=False)))


def cmd_refresh(args) -> int:
    if args.raw:
        os.environ["ZHIJIAO_RAW_DIR"] = str(Path(args.raw).resolve())
    from .paths import raw_dir

    console.print(f"Refreshing the warehouse from {raw_dir()} …", soft_wrap=True)
    ensure_dagster_home()
    from . import progress
    from .warehouse.refresh import run_refresh

    try:
        with StageProgress(console) as stages, progress.listening(stages, verbose=args.verbose):
            outcome = run_refresh(force=args.force, verbose=args.verbose)
    except ZhijiaoError as exc:  # another refresh holds the lock, nothing loadable, …: the message says what to do
        console.print(f"[bold red]Not refreshed:[/] {exc.message}", soft_wrap=True)
        return 1
    if outcome.up_to_date:
        console.print(f"Up to date: {outcome.reason}; {published_db_path()} is current (use --force to rebuild).",
                      soft_wrap=True)
        return 0
    _refresh_summary(outcome)
    if outcome.published:
        counts = ", ".join(f"{table} {rows}" for table, rows in outcome.row_counts.items())
        console.print(f"Published {published_db_path()}: {counts}", soft_wrap=True)
        return 0
    console.print(f"[bold red]Not published:[/] {escape(outcome.reason)}", soft_wrap=True)
    console.print(f"The last published data in {published_db_path()} is unchanged.", soft_wrap=True)
    return 1


def cmd_extract(args) -> int:
    from .extraction.confidence import accepted
    from .extraction.documents import NotAReport
    from .extraction.extract import FACT_COLUMNS, read_report
    from .intake.inventory import max_pages
    from .reports.pdf import ReportError

    rows, status = [], 0
    for name in args.files:
        path = Path(name)
        try:
            parsed, meta, facts = read_report(path, max_pages=max_pages())
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
            who = f"{meta.subject} ({meta.level}, {meta.admin_code})" if meta.settled \
                else "subject not settled"
            console.print(f"{path.name}: {who}, report year {meta.report_year}, "
                          f"body year {meta.body_year}: {len(flowing)} facts, {len(facts) - len(flowing)} for review")
            if meta.review_reason:
                console.print(f"  review: {meta.review_reason}", soft_wrap=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FACT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        console.print(f"wrote {len(rows)} facts to {args.out}")
    return status


def cmd_tables(args) -> int:
    from .warehouse.store import published_tables, report_completeness

    try:
        tables = published_tables(published_db_path())
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    console.print(_table(f"{len(tables)} published tables in {published_db_path()}", ["table", "rows", "comment"], tables))
    console.print("`zhijiao describe TABLE` lists a table's columns.")
    completeness = report_completeness(published_db_path())
    console.print(_table("Completeness of each report (report_coverage)", ["report", "file"],
                         completeness[:MAX_LISTED_FILES]))
    if len(completeness) > MAX_LISTED_FILES:
        console.print(f"… and {len(completeness) - MAX_LISTED_FILES} more: select * from report_coverage")
    return 0


def cmd_describe(args) -> int:
    from .warehouse.store import describe_published

    try:
        columns = describe_published(published_db_path(), args.table)
    except (FileNotFoundError, LookupError) as exc:
        console.print(f"[red]{exc.args[0]}[/]")
        return 1
    console.print(_table(f"{args.table}: {len(columns)} columns", ["column", "type", "comment"], columns))
    return 0


# Like the duckdb CLI: wide results show their first and last columns, long ones their first and
# last rows, and a cell never wraps into a tall narrow column.
MAX_CELL_WIDTH = 32
MAX_ROWS = 40


def _shown_columns(columns: list[str], rows: list[tuple], width: int) -> list[int | None]:
    """Indices of the columns that fit in width, first and last alternately; None marks the gap."""
    def needed(i: int) -> int:
        cells = [cell_len(columns[i])] + [cell_len(_cell(r[i])) for r in rows]
        return min(MAX_CELL_WIDTH, max(cells)) + 3  # padding and the border
    widths = [needed(i) for i in range(len(columns))]
    if sum(widths) + 1 <= width:
        return list(range(len(columns)))
    left, right, used = [], [], 1 + 4  # outer border and the … column
    lo, hi = 0, len(columns) - 1
    while lo <= hi:
        sides = (lo, hi) if len(left) <= len(right) else (hi, lo)
        i = next((i for i in sides if used + widths[i] <= width), None)
        if i is None:
            break
        used += widths[i]
        if i == lo:
            left.append(i)
            lo += 1
        else:
            right.append(i)
            hi -= 1
    return left + [None] + right[::-1]


def _result_table(frame) -> tuple[Table, str]:
    columns = [str(c) for c in frame.columns]
    rows = list(frame.itertuples(index=False))
    shown_rows = rows if len(rows) <= MAX_ROWS else rows[:MAX_ROWS // 2] + [None] + rows[-MAX_ROWS // 2:]
    picked = _shown_columns(columns, [r for r in shown_rows if r is not None], console.width)
    table = Table()
    for i in picked:
        table.add_column("…" if i is None else columns[i], no_wrap=True, overflow="ellipsis",
                         max_width=None if i is None else MAX_CELL_WIDTH)
    for row in shown_rows:
        table.add_row(*["…" if row is None or i is None else _cell(row[i]) for i in picked])
    notes = [f"{len(rows)} row(s)" + (f" ({MAX_ROWS} shown)" if len(shown_rows) < len(rows) else "")]
    hidden = len(columns) - sum(i is not None for i in picked)
    notes.append(f"{len(columns)} column(s)" + (f" ({len(columns) - hidden} shown)" if hidden else ""))
    note = ", ".join(notes) + ("; --csv prints them all" if hidden or len(shown_rows) < len(rows) else "")
    return table, note


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
        table, note = _result_table(frame)
        console.print(table)
        console.print(note)
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
    os.environ["ZHIJIAO_LOG_LEVEL"] = args.log_level  # the runs' log level, read by the code server
    dagster = Path(sys.executable).with_name("dagster")
    # A shell starts a background job with SIGINT ignored, and `dagster dev` stops on SIGTERM only
    # through its SIGINT handler: with both at their defaults it shuts its webserver and daemon down.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(REPO_ROOT)
    os.execv(str(dagster), [str(dagster), "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1",
                            "-p", str(args.port), "--log-level", args.log_level,
                            "--code-server-log-level", "debug" if args.log_level == "debug" else "warning"])
    return 0  # pragma: no cover


def cmd_review(args) -> int:
    import socket

    from .review.app import serve

    if not published_db_path().exists():
        console.print(f"[red]{published_db_path()} does not exist yet; run `make run` "
                      "(or `zhijiao refresh`) first.[/]")
        return 1
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            console.print(f"[red]Port {args.port} on 127.0.0.1 is taken (another review page?); "
                          "stop that, or choose another with --port.[/]")
            return 1
    console.print(f"Review page: http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", soft_wrap=True)
    serve(args.port)
    return 0


def _command(sub, name: str, summary: str, description: str, examples: str, func) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does and shows how it is used."""
    p = sub.add_parser(name, help=summary, description=description, epilog="examples:\n" + examples,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--verbose", action="store_true", help="show each tool's own log, and the traceback of an error")
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhijiao", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="zhijiao (职教): a warehouse of China's vocational-education annual quality reports. "
                    "`refresh` turns the PDFs in raw/ into warehouse/published.duckdb; the other commands read it.",
        epilog="examples:\n  zhijiao refresh\n  zhijiao tables\n  zhijiao query \"select * from city_year\"\n"
               "run `zhijiao COMMAND --help` for each command's options and examples.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = _command(sub, "refresh", "parse raw/, build, gate and publish the warehouse",
                 "Run the Dagster job yearly_refresh in this process: inventory raw/, parse new or changed PDFs, "
                 "load the facts, build the dbt models, run the Great Expectations gates and, when every gate "
                 "passes, publish warehouse/published.duckdb (and warehouse/parquet/). Does nothing when nothing "
                 "changed since the last publish.",
                 "  zhijiao refresh\n  zhijiao refresh --raw ~/reports/2024 --force\n  zhijiao refresh --verbose", cmd_refresh)
    p.add_argument("--raw", help="folder of report PDFs (default raw/ or ZHIJIAO_RAW_DIR)")
    p.add_argument("--force", action="store_true", help="rebuild and republish even when nothing changed")
    p = _command(sub, "extract", "extract facts from PDF files, without the warehouse",
                 "Parse report PDFs and print what each holds (subject, level, years, facts that reach the marts "
                 "and facts held for review), or every number with its reading (--explain); --out writes the facts "
                 "that reach the marts as CSV (--include-review adds the rest).",
                 "  zhijiao extract raw/000_ad8fa0dc1b023aac.pdf\n  zhijiao extract report.pdf --explain\n"
                 "  zhijiao extract a.pdf b.pdf --out facts.csv --include-review", cmd_extract)
    p.add_argument("files", nargs="+", help="PDF files")
    p.add_argument("--out", help="CSV file to write")
    p.add_argument("--explain", action="store_true",
                   help="for every number: the indicator it was read as, the runner-up, and why")
    p.add_argument("--include-review", action="store_true",
                   help="also write facts below the confidence threshold (they wait for a steward, out of the marts)")
    p = _command(sub, "tables", "list the published tables with their row counts and comments",
                 "List every table in warehouse/published.duckdb with its number of rows and what it holds.",
                 "  zhijiao tables", cmd_tables)
    p = _command(sub, "describe", "list a published table's columns with their types and comments",
                 "List the columns of one published table: name, DuckDB type and comment (Chinese and English).",
                 "  zhijiao describe city_year\n  zhijiao describe data_quality_issues", cmd_describe)
    p.add_argument("table", help="a table `zhijiao tables` lists")
    p = _command(sub, "query", "read-only SQL on warehouse/published.duckdb",
                 "Run one SQL statement on the published warehouse in a sandbox (read-only; no files, no other "
                 "databases, no extensions). Wide results show their first and last columns, as the duckdb CLI does; "
                 "--csv prints every column.",
                 "  zhijiao query \"select entity_name, period_year, students_total from city_year order by 1, 2\"\n"
                 "  zhijiao query \"select * from data_quality_issues\" --csv > issues.csv", cmd_query)
    p.add_argument("sql", help="one SQL statement")
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    p = _command(sub, "export", "write every published table as Parquet or CSV",
                 "Write each published table to one file in --out (Parquet by default, or CSV with a header).",
                 "  zhijiao export --out exports/\n  zhijiao export --format csv --out exports/", cmd_export)
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--out", required=True, help="folder to write into (created when missing)")
    p = _command(sub, "report", "write one self-contained HTML page of comparisons, charts and open issues",
                 "Write an HTML page (no network needed to open it) of the published marts: yearly comparisons, "
                 "trend charts and the open data-quality issues.",
                 "  zhijiao report --out report.html", cmd_report)
    p.add_argument("--out", required=True, help="HTML file to write")
    p = _command(sub, "eval", "score extraction against hand-labelled gold facts",
                 "Extract facts from --reports and compare them with the gold facts in --gold: recall, precision, "
                 "and every miss and every value not in the gold.",
                 "  zhijiao eval\n  zhijiao eval --reports ../shared/reports --gold ../shared/spec/gold", cmd_eval)
    p.add_argument("--reports", default=str(REPO_ROOT / "raw"), help="folder of report PDFs (default raw/)")
    p.add_argument("--gold", default=str(REPO_ROOT / "tests" / "gold"), help="folder of gold facts (default tests/gold/)")
    p = _command(sub, "codegen", "regenerate catalog-driven dbt files and GX suites",
                 "After editing dbt_project/seeds/indicators.csv: rewrite the wide marts' YAML contracts and the "
                 "Great Expectations suites in expectations/ from the catalog.",
                 "  zhijiao codegen\n  zhijiao codegen --admin-divisions", cmd_codegen)
    p.add_argument("--admin-divisions", action="store_true", help="also rebuild the admin_divisions seed from cpca")
    p = _command(sub, "ui", "start the Dagster UI and its daemon on 127.0.0.1",
                 "Start `dagster dev` (webserver and daemon) with the code location zhijiao: the asset graph, run "
                 "history, the yearly schedule and the raw/ sensor (which starts a refresh only for files that "
                 "differ from the last publish). Stops on Ctrl-C or SIGTERM.",
                 "  zhijiao ui\n  zhijiao ui --port 3001 --log-level debug", cmd_ui)
    p.add_argument("--port", type=int, default=3000)
    p.add_argument("--log-level", choices=["debug", "info", "warning", "error"], default="info",
                   help="log level of the UI, its daemon and the runs it starts (default info)")
    p = _command(sub, "review", "serve the steward's review page on 127.0.0.1",
                 "Serve a local page of the open items: facts held for review, reports set aside by a "
                 "gate, review flags and missing core indicators, filterable by file, indicator and rule. "
                 "Each shows its PDF page with the snippet highlighted, the value and the runner-up; "
                 "accept, correct, dismiss, release and add write a validated line to "
                 "overrides/fact_overrides.csv, which the next refresh applies. "
                 "Needs no network. Stops on Ctrl-C or SIGTERM.",
                 "  zhijiao review\n  zhijiao review --port 8766", cmd_review)
    p.add_argument("--port", type=int, default=8765)
    return parser


def main(argv: list[str] | None = None) -> int:
    _quiet_telemetry()
    args = build_parser().parse_args(argv)
    if not args.verbose:
        warnings.simplefilter("ignore")  # libraries' deprecation notices are not the user's to act on
    try:
        return args.func(args)
    except KeyboardInterrupt:
        console.print("[red]Interrupted.[/] Nothing already published was changed.")
        return 130
    except ZhijiaoError as exc:  # bad input or a busy warehouse: the message names the file and the fix
        if args.verbose:
            console.print_exception()
        else:
            console.print(f"[bold red]Error:[/] {exc.message}", soft_wrap=True)
        return 1
    except Exception as exc:  # a bug: one line that says what to do; the traceback on request
        if args.verbose:
            console.print_exception()
        else:
            console.print(f"[bold red]Error:[/] {type(exc).__name__}: {exc}", soft_wrap=True)
            console.print(f"Run `zhijiao {args.command} --verbose` for the traceback, and report it if the message "
                          "does not say what to fix.", soft_wrap=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
