"""Failures the user can act on: each message says what went wrong, with which file, and what to do.

The CLI prints the message as one line and exits non-zero; the refresh summary shows it in place of
the Dagster step error that carries it. Never a traceback.
"""

from __future__ import annotations

import errno
import re


class ZhijiaoError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RefreshLocked(ZhijiaoError):
    """Another refresh holds this warehouse's lock."""


class NothingLoaded(ZhijiaoError):
    """No file in raw/ could be loaded: publishing would empty the warehouse."""


class PublishError(ZhijiaoError):
    """The published copy could not be written; the last publication stays as it was."""


class DbtBuildFailed(ZhijiaoError):
    """dbt stopped with an error (compilation, contract, a database error)."""


def dbt_failure(messages: list[str], log_path) -> DbtBuildFailed:
    """dbt's own first error (what failed, in which model) instead of dagster-dbt's "The dbt CLI process
    with command …", with where to read the rest. `messages`: dbt's error messages, or dagster-dbt's
    error text ending in the lines it parsed from dbt's log."""
    text = "\n\n".join(messages)
    errors = text.partition("Errors parsed from dbt logs:")[2] or text
    found = [" ".join(m.split()) for m in errors.split("\n\n") if m.strip()]
    # dbt's progress lines ("5 of 70 ERROR loading seed …") say where; the detailed message says what.
    detailed = [m for m in found if not re.match(r"\d+ of \d+ |The dbt CLI process", m)] or found
    first = detailed[0] if detailed else "dbt exited with an error and printed no error line"
    return DbtBuildFailed(f"dbt build failed: {first[:400]} (full log: {log_path}); fix the model or data it names "
                          "and run again.")


DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def is_disk_full(exc: BaseException) -> bool:
    """An OSError for a full disk, quota or file-size limit, or DuckDB's report of one."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    text = str(exc).lower()
    return any(s in text for s in ("no space left", "file too large", "disk quota"))
