"""Scheduled jobs run by ``relais worker`` besides relaying (audit sealing, purges...).

Apps register their jobs in ``AppConfig.ready()``; the worker runs each one every
``every_seconds``. A job returns how much work it did (for the log, ids and counts only) and
must be safe to run concurrently on several workers (row locks, idempotent steps).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], int]


JOBS: dict[str, Job] = {}


def register_job(name: str, every_seconds: float, run: Callable[[], int]) -> None:
    if name in JOBS and JOBS[name].run is not run:
        raise ValueError(f"job {name} registered twice")
    JOBS[name] = Job(name, every_seconds, run)
