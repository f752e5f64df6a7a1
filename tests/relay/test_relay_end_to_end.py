"""Screenings recorded through the service reach a real simulator over mutual TLS."""

from __future__ import annotations

from pathlib import Path

import pytest
from relay_helpers import Simulator, destination, fast_settings, record

from relais.audit.models import AuditEvent
from relais.relay.models import Transmission, TransmissionStatus
from relais.relay.worker import RelayWorker

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(sim: Simulator, certs: Path, message_format: str = "fhir") -> RelayWorker:
    return RelayWorker(fast_settings(), destination(sim.base_url, certs, message_format), jobs={})


def test_recording_a_screening_queues_one_transmission_in_the_same_transaction(personas) -> None:
    owner = personas["owner_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 1)

    (row,) = Transmission.objects.all()
    assert row.screening_id == screening.pk
    assert row.version_number == 1
    assert row.status == TransmissionStatus.QUEUED
    assert row.pharmacy_id == owner.pharmacy.pk


def test_every_version_is_acknowledged_once_by_the_platform(
    personas, sim: Simulator, relay_certs: Path
) -> None:
    owner = personas["owner_a"]
    for number in range(12):
        record(owner.actor, owner.pharmacy.pk, number)

    _worker(sim, relay_certs).run(iterations=5)

    statuses = set(Transmission.objects.values_list("status", flat=True))
    assert statuses == {TransmissionStatus.ACKNOWLEDGED}
    assert all(Transmission.objects.values_list("platform_reference", flat=True))
    assert sim.stats()["unique_accepted"] == 12
    assert AuditEvent.objects.filter(action="transmission.acknowledged").exists()


def test_hl7_transmissions_are_acknowledged_too(
    personas, sim: Simulator, relay_certs: Path, settings
) -> None:
    settings.RELAIS_SIDEP_FORMAT = "hl7"
    owner = personas["pharmacist_b"]
    for number in range(3):
        record(owner.actor, owner.pharmacy.pk, 100 + number)

    _worker(sim, relay_certs, "hl7").run(iterations=3)

    assert set(Transmission.objects.values_list("format", flat=True)) == {"hl7"}
    assert Transmission.objects.filter(status=TransmissionStatus.ACKNOWLEDGED).count() == 3
    assert sim.stats()["unique_accepted"] == 3
