"""The worker runs the registered jobs on their schedule; a failing job never stops it."""

from __future__ import annotations

import logging

import pytest

from relais.core.jobs import Job
from relais.relay.worker import JobScheduler


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_job_runs_at_once_then_every_period() -> None:
    runs: list[str] = []
    clock = Clock()
    jobs = {
        "seal": Job("seal", 10, lambda: runs.append("seal") or 1),
        "purge": Job("purge", 60, lambda: runs.append("purge") or 0),
    }
    scheduler = JobScheduler(jobs, clock=clock)

    scheduler.run_due()
    clock.now += 11
    scheduler.run_due()
    clock.now += 5
    scheduler.run_due()

    assert runs == ["seal", "purge", "seal"]


def test_a_failing_job_is_logged_by_class_only_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> int:
        raise ValueError("Dupont Jean, 1 80 01 75 123 456")

    ran: list[str] = []
    jobs = {"broken": Job("broken", 1, broken), "ok": Job("ok", 1, lambda: ran.append("ok") or 1)}
    with caplog.at_level(logging.ERROR, logger="relais.relay"):
        JobScheduler(jobs, clock=Clock()).run_due()

    assert ran == ["ok"]
    assert "job broken failed: ValueError" in caplog.text
    assert "Dupont" not in caplog.text
