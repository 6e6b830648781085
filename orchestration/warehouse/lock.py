"""One refresh at a time per warehouse: a file lock (filelock, flock underneath) in the warehouse folder.

A second refresh does not wait: it stops at once with RefreshLocked, naming who holds the lock, so a
scheduled or sensor run never queues behind a long one and a user is never left at a silent prompt.
The OS releases the lock when its holder dies, so a killed refresh never leaves it stuck.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from ..errors import RefreshLocked
from ..paths import warehouse_dir


def _lock() -> FileLock:
    # One instance per file in this process, so the CLI and the job it runs share (re-enter) the lock.
    directory = warehouse_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return FileLock(directory / ".refresh.lock", is_singleton=True, thread_local=False)


def _holder_path():
    return warehouse_dir() / ".refresh.holder"


def refresh_holder() -> str | None:
    """Who holds the lock ("process 123 since 2026-04-01 06:00 UTC"), or None when no refresh runs."""
    lock = _lock()
    if lock.is_locked:  # this process: a re-entrant holder, not another refresh
        return None
    try:
        lock.acquire(blocking=False)
    except Timeout:
        holder = _holder_path()
        return holder.read_text(encoding="utf-8").strip() if holder.exists() else "another process"
    lock.release()
    return None


@contextmanager
def holding_refresh_lock() -> Iterator[None]:
    lock = _lock()
    first = not lock.is_locked  # not re-entered by the job this process runs
    try:
        lock.acquire(blocking=False)
    except Timeout:
        raise RefreshLocked(
            f"another refresh of {warehouse_dir()} is running ({refresh_holder() or 'it just ended'}); "
            "wait for it to finish, then run zhijiao refresh again."
        ) from None
    try:
        if first:
            _holder_path().write_text(f"process {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}",
                                      encoding="utf-8")
        yield
    finally:
        if first:
            _holder_path().unlink(missing_ok=True)
        lock.release()
