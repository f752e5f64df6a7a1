"""The outbox hook: what must happen, in the same transaction, when versions are recorded.

The relay registers its transmission writer here (`on_versions_recorded(enqueue_versions)`),
so a committed version always has its outbox row and a rolled-back one never does. Callbacks
run inside the service's transaction and receive every version a call recorded at once (one
for a counter entry, up to a thousand for an API batch), so a writer can insert them in one
statement. One that raises rolls the whole call back, which is the point (a screening that
cannot be queued for relay must not be recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relais.screening.models import ScreeningVersion

VersionsCallback = Callable[[Sequence["ScreeningVersion"]], None]

_callbacks: list[VersionsCallback] = []


def on_versions_recorded(callback: VersionsCallback) -> VersionsCallback:
    """Register `callback` (usable as a decorator); registering twice is a no-op."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def remove_callback(callback: VersionsCallback) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def versions_recorded(versions: Sequence[ScreeningVersion]) -> None:
    """Called by the services with every new version, inside their transaction."""
    if not versions:
        return
    for callback in list(_callbacks):
        callback(versions)


@contextmanager
def collecting_versions() -> Iterator[list[ScreeningVersion]]:
    """For tests and tools: the versions recorded inside the `with` block."""
    seen: list[ScreeningVersion] = []
    collect: VersionsCallback = seen.extend
    on_versions_recorded(collect)
    try:
        yield seen
    finally:
        remove_callback(collect)
