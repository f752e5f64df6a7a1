"""The worker against a real simulator with faults injected, in-process for N passes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.utils import timezone
from relay_helpers import Simulator, destination, fast_settings, record

from relais.relay import outbox
from relais.relay.models import Circuit, Transmission, TransmissionStatus
from relais.relay.worker import RelayWorker

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(sim: Simulator, certs: Path, batch_size: int = 50) -> RelayWorker:
    return RelayWorker(fast_settings(batch_size), destination(sim.base_url, certs), jobs={})


def _record_many(personas, count: int, start: int = 0) -> None:
    owner = personas["owner_a"]
    for number in range(start, start + count):
        record(owner.actor, owner.pharmacy.pk, number)


def _statuses() -> dict[str, int]:
    rows = Transmission.objects.values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def _drain(worker: RelayWorker, passes: int = 400) -> None:
    for _ in range(passes):
        if not Transmission.objects.exclude(status__in=["acknowledged", "rejected", "dead"]):
            return
        worker.run(iterations=1)
    raise AssertionError(f"not drained: {_statuses()}")


def test_rejected_messages_keep_the_platform_reasons_and_are_never_resent(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    sim.faults(reject_rate=1.0)
    _record_many(personas, 4)
    worker = _worker(sim, relay_certs)

    _drain(worker)
    worker.run(iterations=3)

    assert _statuses() == {"rejected": 4}
    assert set(map(tuple, Transmission.objects.values_list("reasons", flat=True))) == {
        ("simulated rejection",)
    }
    assert sim.stats()["deliveries_received"] == 4


def test_a_platform_failing_half_of_the_requests_still_acknowledges_each_message_once(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    sim.faults(error_rate=0.5, retry_after_seconds=0)
    _record_many(personas, 20)

    _drain(_worker(sim, relay_certs, batch_size=5))

    assert _statuses() == {"acknowledged": 20}
    assert sim.stats()["unique_accepted"] == 20


def test_a_connection_dropped_after_the_platform_stored_the_batch_is_deduplicated(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    sim.faults(drop_rate=1.0, fail_after_store=1.0)
    _record_many(personas, 6)
    worker = _worker(sim, relay_certs)
    worker.run(iterations=2)
    assert sim.stats()["unique_accepted"] == 6
    assert not Transmission.objects.filter(status="acknowledged").exists()

    sim.faults(drop_rate=0.0, fail_after_store=0.0)
    Circuit.objects.all().delete()
    Transmission.objects.update(next_attempt_at=timezone.now())
    _drain(worker)

    stats = sim.stats()
    assert _statuses() == {"acknowledged": 6}
    assert (stats["unique_accepted"], stats["duplicate_deliveries"] >= 6) == (6, True)


def test_timeouts_are_retried_until_acknowledged(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    sim.faults(timeout_rate=0.5, timeout_seconds=2.0)
    _record_many(personas, 6)

    _drain(_worker(sim, relay_certs, batch_size=2))

    assert _statuses() == {"acknowledged": 6}
    assert sim.stats()["unique_accepted"] == 6


def test_during_an_outage_the_circuit_opens_and_delivery_resumes_after_it(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    sim.faults(outage_seconds=1.0)
    _record_many(personas, 3)
    worker = _worker(sim, relay_certs, batch_size=1)
    for _ in range(6):
        worker.run(iterations=1)
    requests_during_outage = sim.stats()["requests_received"]

    assert Circuit.objects.get().state in {"open", "half_open"}
    assert requests_during_outage <= 4
    _drain(worker)
    assert _statuses() == {"acknowledged": 3}


def test_a_correction_and_a_cancellation_reach_the_platform_in_order(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    from relais.screening.services import cancel_screening, correct_screening

    owner = personas["owner_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 42)
    correct_screening(owner.actor, screening.pk, {"result": "positive", "notes": "relu"})
    cancel_screening(owner.actor, screening.pk, "patient inconnu")

    worker = _worker(sim, relay_certs)
    _drain(worker)

    rows = list(Transmission.objects.order_by("version_number"))
    assert [row.status for row in rows] == ["acknowledged"] * 3
    acked = [row.acknowledged_at for row in rows]
    assert acked == sorted(acked)
    assert sim.stats()["unique_accepted"] == 3


def test_a_batch_claimed_by_a_crashed_worker_is_taken_over_after_its_lease(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    _record_many(personas, 3)
    crashed = outbox.claim("crashed:1:x", "sidep", 10, lease_seconds=0.2)
    assert len(crashed) == 3
    worker = _worker(sim, relay_certs)
    worker.run(iterations=1)
    assert _statuses() == {"sending": 3}

    import time

    time.sleep(0.3)
    _drain(worker)

    assert _statuses() == {"acknowledged": 3}
    assert set(Transmission.objects.values_list("attempts", flat=True)) == {2}


def test_an_interrupted_worker_releases_its_leases(
    personas, sim: Simulator, relay_certs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record_many(personas, 2)
    worker = _worker(sim, relay_certs)

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(worker.transport, "deliver", interrupted)
    with pytest.raises(KeyboardInterrupt):
        worker.step()

    assert _statuses() == {TransmissionStatus.QUEUED: 2}
    assert set(Transmission.objects.values_list("attempts", flat=True)) == {0}


def test_after_a_partial_batch_the_worker_lingers_so_the_next_one_carries_more(
    relay_certs: Path,
) -> None:
    """Empty claim: the idle wait. Partial batch: the linger, so arrivals accumulate (a
    batch's fixed cost is paid per batch). Full batch: no wait, a backlog is there."""
    config = dataclasses.replace(fast_settings(batch_size=50), linger_seconds=0.25)
    worker = RelayWorker(config, destination("https://127.0.0.1:9", relay_certs))

    assert worker.pause_after(0) == config.idle_seconds
    assert worker.pause_after(3) == 0.25
    assert worker.pause_after(49) == 0.25
    assert worker.pause_after(50) == 0.0
