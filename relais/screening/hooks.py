"""The outbox hook: what must happen, in the same transaction, when a version is recorded.

The relay registers its transmission writer here (`on_version_recorded(write_outbox_row)`),
so a committed version always has its outbox row and a rolled-back one never does. Callbacks
run inside the service's transaction: one that raises rolls the whole screening back, which
is the point (a screening that cannot be queued for relay must not be recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relais.screening.models import ScreeningVersion

VersionCallback = Callable[["ScreeningVersion"], None]

_callbacks: list[VersionCallback] = []


def on_version_recorded(callback: VersionCallback) -> VersionCallback:
    """Register `callback` (usable as a decorator); registering twice is a no-op."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def remove_callback(callback: VersionCallback) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def version_recorded(version: ScreeningVersion) -> None:
    """Called by the services for every new version, inside their transaction."""
    for callback in list(_callbacks):
        callback(version)


@contextmanager
def collecting_versions() -> Iterator[list[ScreeningVersion]]:
    """For tests and tools: the versions recorded inside the `with` block."""
    seen: list[ScreeningVersion] = []
    on_version_recorded(seen.append)
    try:
        yield seen
    finally:
        remove_callback(seen.append)
