"""Failures the user can act on: each message says what went wrong, with which file, and what to do.

The CLI prints the message as one line and exits non-zero; the refresh summary shows it in place of
the Dagster step error that carries it. Never a traceback.
"""

from __future__ import annotations

import errno


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


DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def is_disk_full(exc: BaseException) -> bool:
    """An OSError for a full disk, quota or file-size limit, or DuckDB's report of one."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    text = str(exc).lower()
    return any(s in text for s in ("no space left", "file too large", "disk quota"))
