"""Replay of dead transmissions and the read services, from every persona's side."""

from __future__ import annotations

import pytest
from relay_helpers import record

from relais.access.errors import AccessDeniedError
from relais.audit.models import AuditEvent
from relais.relay.models import Transmission, TransmissionStatus
from relais.relay.services.replay import NotReplayableError, replay_transmission
from relais.relay.services.status import (
    relay_health,
    transmission_status_for,
    transmissions_for_pharmacy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead(personas) -> Transmission:
    owner = personas["owner_a"]
    record(owner.actor, owner.pharmacy.pk, 1)
    Transmission.objects.update(status=TransmissionStatus.DEAD, attempts=15, last_error="timeout")
    return Transmission.objects.get()


@pytest.mark.parametrize("name", ["owner_a", "pharmacist_a"])
def test_an_owner_or_pharmacist_replays_a_dead_transmission_under_the_same_message_id(
    personas, dead: Transmission, name: str
) -> None:
    replayed = replay_transmission(personas[name].actor, dead.pk)

    assert (replayed.status, replayed.attempts) == ("queued", 0)
    assert replayed.message_id == dead.message_id
    assert Transmission.objects.count() == 1
    assert AuditEvent.objects.filter(action="transmission.replayed").count() == 1


@pytest.mark.parametrize("name", ["technician_a", "owner_b", "pharmacist_b", "operator", "auditor"])
def test_nobody_else_may_replay_a_transmission(personas, dead: Transmission, name: str) -> None:
    with pytest.raises(AccessDeniedError):
        replay_transmission(personas[name].actor, dead.pk)
    assert Transmission.objects.get().status == "dead"
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_a_rejected_transmission_is_not_replayed_it_waits_for_a_correction(
    personas, dead: Transmission
) -> None:
    Transmission.objects.update(status=TransmissionStatus.REJECTED)
    with pytest.raises(NotReplayableError):
        replay_transmission(personas["owner_a"].actor, dead.pk)
    assert Transmission.objects.get().status == "rejected"


def test_the_pharmacy_sees_each_version_of_its_screening_with_its_outcome(personas) -> None:
    owner = personas["technician_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 2)
    Transmission.objects.update(
        status=TransmissionStatus.REJECTED, reasons=["finess: invalid check digit"]
    )

    (view,) = transmission_status_for(owner.actor, screening.pk)

    assert (view.version_number, view.status, view.reasons) == (
        1,
        "rejected",
        ("finess: invalid check digit",),
    )
    assert not view.replayable


def test_another_pharmacy_cannot_see_the_transmissions_of_a_screening(personas) -> None:
    owner = personas["owner_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 3)
    for name in ("owner_b", "operator", "anonymous"):
        with pytest.raises(AccessDeniedError):
            transmission_status_for(personas[name].actor, screening.pk)
        with pytest.raises(AccessDeniedError):
            transmissions_for_pharmacy(personas[name].actor, owner.pharmacy.pk)


def test_a_pharmacy_lists_its_rejected_transmissions(personas) -> None:
    owner = personas["owner_a"]
    record(owner.actor, owner.pharmacy.pk, 4)
    record(owner.actor, owner.pharmacy.pk, 5)
    first = Transmission.objects.order_by("id").first()
    assert first is not None
    Transmission.objects.filter(pk=first.pk).update(status=TransmissionStatus.REJECTED)

    views = transmissions_for_pharmacy(owner.actor, owner.pharmacy.pk, statuses=("rejected",))

    assert [view.id for view in views] == [first.pk]


def test_the_operator_sees_relay_health_as_counts_only(personas, dead: Transmission) -> None:
    health = relay_health(personas["operator"].actor)

    assert health["counts"]["dead"] == 1
    assert health["dead"] == 1
    assert health["circuit"]["state"] == "closed"
    assert set(health) == {"counts", "oldest_waiting_seconds", "dead", "circuit"}


@pytest.mark.parametrize("name", ["owner_a", "auditor", "anonymous"])
def test_only_the_operator_sees_relay_health(personas, name: str) -> None:
    with pytest.raises(AccessDeniedError):
        relay_health(personas[name].actor)
