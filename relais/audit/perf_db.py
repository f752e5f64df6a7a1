"""Database-backed audit benchmarks, for the bench harness (needs a migrated database).

``measure_db_verification(n)``: a day of ``n`` events is inserted and sealed as the worker
does, a batch at a time (sealing timed, the alert hook included), then ``verify`` runs over
the whole database (one streaming query, leaves rendered by the database, signatures
checked) and is timed. ``measure_record_event_cost(n)``: the audit log's cost on the
submission path — the time of one ``record_event`` inside the caller's transaction, against
the same transaction without it. Both insert rows into the audit log: run them on a scratch
database only.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from relais.access.actors import Actor
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent
from relais.audit.sealer import seal_pending
from relais.audit.signing import verifier_key
from relais.audit.verification import verify_database

_READER = Actor(kind="user", id="1")
_INSERT_BATCH = 5000
_ONE_DAY = dt.timedelta(days=1)
_STAFF = 6000  # e.g. 2,000 pharmacies with three staff each


@dataclass(frozen=True, slots=True)
class DbVerificationFigures:
    """Wall-clock seconds, and this process's CPU seconds (the database server's work on
    PostgreSQL is not in them): on a shared machine the CPU time shows what contention hid.
    """

    events: int
    seal_seconds: float
    verify_seconds: float
    seal_cpu_seconds: float = 0.0
    verify_cpu_seconds: float = 0.0

    @property
    def verified_per_second(self) -> float:
        return self.events / self.verify_seconds

    @property
    def sealed_per_second(self) -> float:
        return self.events / self.seal_seconds


def insert_events(n: int, *, first: int = 0, total: int = 0) -> None:
    """Events ``first`` … ``first + n - 1`` of a day of ``total`` screening reads, spread
    evenly over the last 24 hours, by staff of many pharmacies: a day of the national log,
    not one account reading a million records at once (a bulk-read alert every batch)."""
    now, step = timezone.now(), _ONE_DAY / max(total or n, 1)
    last = (total or n) - 1
    for start in range(first, first + n, _INSERT_BATCH):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                occurred_at=now - step * (last - index),
                actor_type="user",
                actor_id=str(index % _STAFF),
                pharmacy_id=index % _STAFF // 3,
                action=str(AuditAction.SCREENING_VIEWED),
                object_type="screening",
                object_ids=[f"00000000-0000-0000-0000-{index:012d}"],
                request_id=f"{index:032x}",
                client_ip="192.0.2.10",
                outcome="success",
                details={},
            )
            for index in range(start, min(first + n, start + _INSERT_BATCH))
        )


def measure_db_verification(n: int, *, seal_every: int = 20_000) -> DbVerificationFigures:
    """Seal ``n`` events as the worker does — a few seconds' worth at a time, as they are
    committed (only sealing is timed, alert hook included) — then time ``verify``."""
    seal_wall = seal_cpu = 0.0
    for first in range(0, n, seal_every):
        insert_events(min(seal_every, n - first), first=first, total=n)
        started, started_cpu = time.perf_counter(), time.process_time()
        seal_pending()
        seal_wall += time.perf_counter() - started
        seal_cpu += time.process_time() - started_cpu
    started, started_cpu = time.perf_counter(), time.process_time()
    result = verify_database(verifier_key())
    verify_wall, verify_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if result.report.events_checked < n or not result.ok:
        raise RuntimeError(f"benchmark log failed verification: {result.problem}")
    checked = result.report.events_checked
    return DbVerificationFigures(checked, seal_wall, verify_wall, seal_cpu, verify_cpu)


def _submission_like(*, audited: bool) -> None:
    with transaction.atomic():
        AuditEvent.objects.exists()  # stands in for the action's own query
        if audited:
            record_event(
                AuditAction.SCREENING_RECORDED,
                actor=_READER,
                pharmacy_id=42,
                object_type="screening",
                object_ids=["00000000-0000-0000-0000-000000000001"],
            )


def measure_record_event_cost(n: int) -> tuple[float, float]:
    """Mean seconds per transaction (without, with) one audit event."""
    timings = []
    for audited in (False, True):
        started = time.perf_counter()
        for _ in range(n):
            _submission_like(audited=audited)
        timings.append((time.perf_counter() - started) / n)
    return timings[0], timings[1]
