"""Progress of a refresh's stages for whoever listens (the CLI's console); nothing happens otherwise.

Assets report plain counts here, so they need no knowledge of who shows them: `zhijiao refresh`
draws rich progress bars, and a run the UI's daemon starts has no listener.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator

Listener = Callable[[str, int, int], None]
_listeners: list[tuple[Listener, bool]] = []


@contextlib.contextmanager
def listening(listener: Listener, verbose: bool = False) -> Iterator[None]:
    """Send stage progress to listener while the block runs; without verbose, tools' own per-step
    output (dbt's log of every node) is kept off the console."""
    _listeners.append((listener, verbose))
    try:
        yield
    finally:
        _listeners.remove((listener, verbose))


def report(stage: str, done: int, total: int) -> None:
    for listener, _ in _listeners:
        listener(stage, done, total)


def quiet_stdout() -> contextlib.AbstractContextManager:
    """Swallow stdout when a listener shows progress and did not ask for verbose output."""
    if _listeners and not any(verbose for _, verbose in _listeners):
        return contextlib.redirect_stdout(io.StringIO())
    return contextlib.nullcontext()
