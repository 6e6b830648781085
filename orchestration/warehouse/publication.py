"""Publishing: each publication is a folder `published/v-<stamp>/` (published.duckdb, parquet/, and the
digest of the inputs it was built from) written in full before one atomic switch of the link
`published/current`. `published.duckdb` and `parquet/` in the warehouse folder are fixed links through
`current`, so analysts see the DuckDB file and the Parquet set switch together.

A crash at any step leaves either the old publication or the new one live, never a mix; the next
publish clears what the crash left. Readers holding the old file keep reading it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ..errors import PublishError, is_disk_full
from ..paths import published_db_path, published_parquet_dir, publications_dir
from .sql import quote_identifier, quote_literal

if TYPE_CHECKING:
    from .comments import TableComments

PUBLISHED_TABLES = [
    "documents", "facts", "school_year", "county_year", "city_year", "province_year",
    "yearly_comparison", "data_quality_issues", "area_indicator_year", "reconciliation", "report_coverage",
]
DB_NAME, PARQUET_NAME, INPUTS_NAME, CURRENT = "published.duckdb", "parquet", "inputs", "current"
# Publications kept besides the current one, for readers that resolved the link just before a switch.
KEPT_PREVIOUS = 1


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link(link: Path, target: str) -> None:
    """Point `link` at `target` atomically (a new link renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)
    _fsync(link.parent)


def stage(build_db: Path, root: Path, comments: dict[str, TableComments], inputs: str | None) -> tuple[Path, dict[str, int]]:
    """A complete publication in a hidden folder: the gated tables with their comments, their Parquet,
    the inputs digest."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{int(time.time() * 1000) % 1000:03d}-{os.getpid()}"
    staged = root / f".v-{stamp}.tmp"
    (staged / PARQUET_NAME).mkdir(parents=True)
    counts = {}
    with duckdb.connect(str(staged / DB_NAME)) as con:
        con.execute("attach ? as build (read_only)", [str(build_db)])
        for table in PUBLISHED_TABLES:
            name = quote_identifier(table)
            con.execute(f"create table {name} as select * from build.main.{name}")
            counts[table] = con.execute(f"select count(*) from {name}").fetchone()[0]
            described = comments.get(table)
            if described is not None:
                # COMMENT ON takes no parameters: the text is a quoted literal.
                con.execute(f"comment on table {name} is {quote_literal(described.table)}")
                for column, text in described.columns.items():
                    con.execute(f"comment on column {name}.{quote_identifier(column)} is {quote_literal(text)}")
            con.execute(f"copy {name} to ? (format parquet)", [str(staged / PARQUET_NAME / f"{table}.parquet")])
        con.execute("detach build")
        con.execute("checkpoint")
    if inputs is not None:
        (staged / INPUTS_NAME).write_text(inputs, encoding="utf-8")
    for path in [staged / DB_NAME, *(staged / PARQUET_NAME).iterdir()]:
        _fsync(path)
    return staged, counts


def commit(staged: Path) -> Path:
    """The staged folder under its final name: complete, not yet live."""
    version = staged.with_name(staged.name.removeprefix(".").removesuffix(".tmp"))
    os.replace(staged, version)
    _fsync(version.parent)
    return version


def switch(version: Path) -> None:
    """The one step that makes a publication live."""
    _link(version.parent / CURRENT, version.name)


def link_analyst_paths() -> None:
    """warehouse/published.duckdb and warehouse/parquet as links through `current` (a file or folder
    left by the layout before versioned publications is replaced)."""
    rel = publications_dir().name
    for path, target in ((published_db_path(), f"{rel}/{CURRENT}/{DB_NAME}"), (published_parquet_dir(), f"{rel}/{CURRENT}/{PARQUET_NAME}")):
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.is_dir() and not path.is_symlink():
            os.replace(path, path.with_name(f".{path.name}.old"))  # a directory cannot be replaced by a link
        _link(path, target)


def current_version(root: Path | None = None) -> Path | None:
    link = (root or publications_dir()) / CURRENT
    return link.parent / os.readlink(link) if link.is_symlink() else None


def clean_leftovers(root: Path | None = None) -> None:
    """Staged folders and links of crashed publishes, and publications older than the kept ones."""
    root = root or publications_dir()
    if not root.exists():
        return
    for stale in root.glob(".*.tmp"):
        _remove(stale)
    live = current_version(root)
    versions = sorted(root.glob("v-*"), reverse=True)
    # Without a live link every version is a crashed first publish; one newer than the live one was
    # committed but never switched to.
    stale = versions if live is None else [v for v in versions if v.name > live.name]
    stale += [v for v in versions if live is not None and v.name < live.name][KEPT_PREVIOUS:]
    warehouse = root.parent
    # The earlier layout's leftovers too: its sidecar, and the temporary files of its publishes.
    for path in [*stale, *warehouse.glob(".parquet.old"), *warehouse.glob(".published.duckdb.*.tmp*"),
                 *warehouse.glob(".parquet.*.tmp"), warehouse / "published.inputs"]:
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def publish(build_db: Path, comments: dict[str, TableComments] | None = None, inputs: str | None = None,
            after_step: Callable[[str], None] | None = None) -> dict[str, int]:
    """Stage, commit, switch, link, clean; `after_step` is called with each step's name (tests crash there)."""
    root = publications_dir()
    root.mkdir(parents=True, exist_ok=True)
    step = after_step or (lambda name: None)
    clean_leftovers(root)
    try:
        staged, counts = stage(build_db, root, comments or {}, inputs)
        step("stage")
        version = commit(staged)
        step("commit")
        switch(version)
        step("switch")
        link_analyst_paths()
        step("link")
    except (OSError, duckdb.Error) as exc:
        clean_leftovers(root)
        if is_disk_full(exc):
            raise PublishError(
                f"no space left on the disk holding {root} while writing the new publication; free space there "
                "(or set ZHIJIAO_WAREHOUSE_DIR to a larger disk) and run again. The last publication is unchanged."
            ) from None
        raise PublishError(f"publishing into {root} failed ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
                           "the last publication is unchanged. Check the folder's permissions and run again.") from None
    clean_leftovers(root)
    step("clean")
    return counts


PUBLISH_STEPS = ("stage", "commit", "switch", "link", "clean")


def published_inputs() -> str | None:
    """The inputs digest of the live publication, or None when any part of it is missing (so the next
    refresh rebuilds it): the DuckDB file, a Parquet file, or the analysts' links."""
    version = current_version()
    if version is None or not (version / INPUTS_NAME).exists() or not (version / DB_NAME).exists():
        return None
    if any(not (version / PARQUET_NAME / f"{t}.parquet").exists() for t in PUBLISHED_TABLES):
        return None
    if published_db_path().resolve() != (version / DB_NAME).resolve() or published_parquet_dir().resolve() != (version / PARQUET_NAME).resolve():
        return None
    return (version / INPUTS_NAME).read_text(encoding="utf-8")
