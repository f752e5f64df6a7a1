"""Benchmark hooks for the relay (used by ``bench/``; never by the product itself).

(a) `enqueue` writes N transmissions fast: they point at a small pool of real, encrypted
screening versions (so every send still decrypts and builds a real message) under distinct
screening ids and message ids, so the platform sees N distinct messages.
(b) `measure_throughput` runs W real ``relais worker`` processes against the simulator and
reports acknowledged messages per second.
(c) `measure_latency` submits at a fixed rate while W workers run and reports the
submission → acknowledgement latency percentiles (from ``created_at``/``acknowledged_at``).
Run them with DATABASE_URL pointing at PostgreSQL and RELAIS_SIDEP_* at a simulator.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from statistics import quantiles
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from relais.relay.models import Transmission, TransmissionStatus

POOL_SIZE = 20


def version_pool(pharmacy_id: int, size: int = POOL_SIZE) -> list[Any]:
    """`size` screening versions of `pharmacy_id`, recorded through the real service."""
    from relais.access.actors import SYSTEM
    from relais.screening.models import ScreeningVersion
    from relais.screening.services import record_screening

    existing = list(ScreeningVersion.objects.filter(pharmacy_id=pharmacy_id)[:size])
    for number in range(len(existing), size):
        record_screening(SYSTEM, pharmacy_id, _body(number))
    Transmission.objects.filter(pharmacy_id=pharmacy_id, status=TransmissionStatus.QUEUED).delete()
    return list(ScreeningVersion.objects.filter(pharmacy_id=pharmacy_id)[:size])


def _body(number: int) -> dict[str, Any]:
    sampled = timezone.now() - timedelta(minutes=30 + number)
    return {
        "patient": {
            "last_name": "Bench",
            "first_names": [f"Perf{'o' * (number % 9)}"],
            "sex": "F",
            "birth_date": f"19{60 + number % 30}-05-1{number % 9}",
            "no_nir_reason": "not_provided_by_patient",
            "email": f"bench{number}@example.org",
        },
        "test_kind": "rt_pcr",
        "sampled_at": sampled.isoformat(),
        "result": "negative",
        "symptoms": False,
        "consent": True,
    }


def enqueue(count: int, versions: Sequence[Any], *, chunk: int = 5000) -> int:
    """Write `count` queued transmissions over `versions` (bulk inserts); returns count."""
    now = timezone.now()  # the submission time: latency is measured from here
    rows = (
        Transmission(
            pharmacy_id=versions[index % len(versions)].pharmacy_id,
            version=versions[index % len(versions)],
            screening_id=uuid.uuid4(),
            version_number=1,
            format=settings.RELAIS_SIDEP_FORMAT,
            next_attempt_at=now,
            created_at=now,
        )
        for index in range(count)
    )
    batch: list[Transmission] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            Transmission.objects.bulk_create(batch)
            batch = []
    Transmission.objects.bulk_create(batch)
    return count


def start_workers(
    count: int, extra_env: dict[str, str] | None = None
) -> list[subprocess.Popen[bytes]]:
    """`count` ``relais worker`` processes on this process's database (the test DB too)."""
    env = dict(os.environ) | (extra_env or {})
    env["DATABASE_URL"] = database_url()
    command = [sys.executable, "-m", "relais.cli", "worker"]
    return [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        for _ in range(count)
    ]


def stop_workers(workers: Sequence[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def database_url() -> str:
    """The URL of the database this process uses (its NAME, so a test DB is followed)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def last_id() -> int:
    """The newest transmission id: measurements count only rows created after it."""
    return Transmission.objects.order_by("-id").values_list("id", flat=True).first() or 0


def wait_until_settled(expected: int, after_id: int, timeout: float, poll: float = 0.1) -> float:
    """Seconds until `expected` transmissions past `after_id` are final."""
    start = time.monotonic()
    final = (TransmissionStatus.ACKNOWLEDGED, TransmissionStatus.REJECTED, TransmissionStatus.DEAD)
    rows = Transmission.objects.filter(id__gt=after_id, status__in=final)
    while time.monotonic() - start < timeout:
        if rows.count() >= expected:
            return time.monotonic() - start
        time.sleep(poll)
    raise TimeoutError(f"{expected} transmissions not settled within {timeout} s")


def measure_throughput(
    count: int, workers: int, versions: Sequence[Any], timeout: float = 600
) -> dict[str, float]:
    """Acknowledged messages per second with `workers` processes draining `count` rows."""
    after = last_id()
    enqueue(count, versions)
    processes = start_workers(workers)
    try:
        elapsed = wait_until_settled(count, after, timeout)
    finally:
        stop_workers(processes)
    acked = Transmission.objects.filter(id__gt=after, status=TransmissionStatus.ACKNOWLEDGED)
    acked_count = acked.count()
    return {
        "messages": acked_count,
        "seconds": round(elapsed, 2),
        "per_second": round(acked_count / elapsed),
        **_steady_rate(acked),
    }


def _steady_rate(acked: QuerySet[Transmission]) -> dict[str, float]:
    """The rate from the first to the last acknowledgement, as the benchmark measures it
    at the simulator: the workers' start-up (Django, schema validators) is left out, and
    so is the first batch (acknowledged at the start instant)."""
    span = acked.aggregate(first=Min("acknowledged_at"), last=Max("acknowledged_at"))
    if span["first"] is None or span["last"] <= span["first"]:
        return {}
    seconds = (span["last"] - span["first"]).total_seconds()
    counted = acked.exclude(acknowledged_at=span["first"]).count()
    return {"steady_seconds": round(seconds, 2), "steady_per_second": round(counted / seconds)}


def measure_latency(
    rate: int, seconds: float, workers: int, versions: Sequence[Any], tick: float = 0.05
) -> dict[str, float]:
    """Submit `rate`/s for `seconds`; latency percentiles from submission to ack."""
    after = last_id()
    processes = start_workers(workers)
    try:
        time.sleep(4)  # let the workers start and warm up
        submitted = _submit_at_rate(rate, seconds, versions, tick)
        wait_until_settled(submitted, after, timeout=120)
    finally:
        stop_workers(processes)
    rows = Transmission.objects.filter(id__gt=after, status=TransmissionStatus.ACKNOWLEDGED)
    latencies = sorted(
        (acked - created).total_seconds()
        for created, acked in rows.values_list("created_at", "acknowledged_at")
        if acked is not None
    )
    cuts = quantiles(latencies, n=100)
    return {
        "submitted": submitted,
        "p50": round(cuts[49], 3),
        "p99": round(cuts[98], 3),
        "max": round(latencies[-1], 3),
    }


def _submit_at_rate(rate: int, seconds: float, versions: Sequence[Any], tick: float) -> int:
    start = time.monotonic()
    submitted = 0
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(rate * elapsed) - submitted
        if due > 0:
            submitted += enqueue(due, versions)
        time.sleep(tick)
    return submitted
