"""Claims, leases, version ordering and the recorded outcomes of a batch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from relay_helpers import record

from relais.access.actors import SYSTEM
from relais.audit.models import AuditEvent
from relais.relay import outbox
from relais.relay.models import Transmission
from relais.relay.policy import RetryPolicy
from relais.relay.services.outcomes import Outcome, Platform, record_outcomes

pytestmark = pytest.mark.django_db
POLICY = RetryPolicy(base_seconds=10, cap_seconds=100, max_attempts=3)
NO_REQUEST = Platform(answered=None)


def _settle(owner: str, *outcomes: Outcome, platform: Platform = NO_REQUEST) -> dict[str, int]:
    return dict(record_outcomes(SYSTEM, owner, "sidep", list(outcomes), platform, policy=POLICY))


@pytest.fixture
def queued(personas) -> list[Transmission]:
    owner = personas["owner_a"]
    for number in range(3):
        record(owner.actor, owner.pharmacy.pk, number)
    return list(Transmission.objects.order_by("id"))


def test_a_claim_leases_due_rows_to_one_worker_and_counts_the_attempt(queued) -> None:
    ids = outbox.claim("w1", "sidep", 10, lease_seconds=60)

    assert sorted(ids) == [row.pk for row in queued]
    for row in Transmission.objects.all():
        assert (row.status, row.lease_owner, row.attempts) == ("sending", "w1", 1)
        assert row.lease_expires_at is not None and row.lease_expires_at > timezone.now()
    assert outbox.claim("w2", "sidep", 10, lease_seconds=60) == []


def test_a_claim_respects_the_batch_limit(queued) -> None:
    assert len(outbox.claim("w1", "sidep", 2, lease_seconds=60)) == 2
    assert len(outbox.claim("w2", "sidep", 2, lease_seconds=60)) == 1


def test_an_expired_lease_is_taken_over_and_the_old_worker_cannot_overwrite(queued) -> None:
    first = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    Transmission.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    second = outbox.claim("w2", "sidep", 10, lease_seconds=60)
    assert sorted(second) == sorted(first)

    _settle("w2", *(Outcome(pk, "acknowledged", reference=f"REF-{pk}") for pk in second))
    counts = _settle("w1", *(Outcome(pk, "retry", error="timeout") for pk in first))

    assert counts["lost"] == 3
    assert set(Transmission.objects.values_list("status", flat=True)) == {"acknowledged"}
    assert Transmission.objects.get(pk=first[0]).platform_reference == f"REF-{first[0]}"


def test_acknowledged_and_rejected_outcomes_are_final(queued) -> None:
    a, b, c = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    _settle(
        "w1",
        Outcome(a, "acknowledged", reference="SIDEP-A"),
        Outcome(b, "rejected", reasons=("nir: invalid key",)),
        Outcome(c, "acknowledged", reference="SIDEP-C"),
    )
    Transmission.objects.update(next_attempt_at=timezone.now() - timedelta(days=1))

    assert outbox.claim("w2", "sidep", 10, lease_seconds=60) == []
    rejected = Transmission.objects.get(pk=b)
    assert (rejected.status, rejected.reasons, rejected.lease_owner) == (
        "rejected",
        ["nir: invalid key"],
        "",
    )
    assert Transmission.objects.get(pk=a).acknowledged_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"transmission.attempted", "transmission.acknowledged", "transmission.rejected"} <= (
        actions
    )


def test_a_transient_failure_schedules_a_retry_within_the_backoff(queued) -> None:
    (pk,) = outbox.claim("w1", "sidep", 1, lease_seconds=60)
    before = timezone.now()
    _settle("w1", Outcome(pk, "retry", error="http 503", retry_after=30))

    row = Transmission.objects.get(pk=pk)
    assert (row.status, row.last_error) == ("retrying", "http 503")
    assert before + timedelta(seconds=30) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + timedelta(seconds=POLICY.cap_seconds + 31)
    assert pk not in outbox.claim("w2", "sidep", 10, lease_seconds=60)


def test_after_the_last_attempt_a_transmission_is_dead_and_the_operator_alerted(queued) -> None:
    pk = queued[0].pk
    Transmission.objects.exclude(pk=pk).update(next_attempt_at=timezone.now() + timedelta(days=1))
    for _attempt in range(POLICY.max_attempts):
        Transmission.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
        assert pk in outbox.claim("w1", "sidep", 1, lease_seconds=60)
        _settle("w1", Outcome(pk, "retry", error="timeout"))

    row = Transmission.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("dead", POLICY.max_attempts)
    alert = AuditEvent.objects.get(action="audit.alert_raised")
    assert alert.object_ids == [str(pk)]
    assert AuditEvent.objects.filter(action="transmission.dead", object_ids=[str(pk)]).exists()


def test_a_released_lease_puts_the_rows_back_in_the_queue_without_an_attempt(queued) -> None:
    ids = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    assert outbox.release("someone-else", ids) == 0
    assert outbox.release("w1", ids) == 3

    for row in Transmission.objects.all():
        assert (row.status, row.attempts, row.lease_owner) == ("queued", 0, "")


def test_a_later_version_waits_until_the_earlier_one_is_settled(personas) -> None:
    from relais.screening.services import cancel_screening, correct_screening

    owner = personas["owner_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 7)
    correct_screening(owner.actor, screening.pk, {"result": "positive", "notes": "lab"})
    cancel_screening(owner.actor, screening.pk, "wrong patient")
    versions = dict(Transmission.objects.values_list("version_number", "id"))
    assert sorted(versions) == [1, 2, 3]

    assert outbox.claim("w1", "sidep", 10, lease_seconds=60) == [versions[1]]
    assert outbox.claim("w2", "sidep", 10, lease_seconds=60) == []
    _settle("w1", Outcome(versions[1], "rejected", reasons=("finess: invalid",)))
    assert outbox.claim("w1", "sidep", 10, lease_seconds=60) == [versions[2]]
    _settle("w1", Outcome(versions[2], "acknowledged", reference="R2"))
    assert outbox.claim("w1", "sidep", 10, lease_seconds=60) == [versions[3]]


def test_each_version_has_its_own_stable_message_id(personas) -> None:
    from relais.screening.services import cancel_screening

    owner = personas["pharmacist_a"]
    screening = record(owner.actor, owner.pharmacy.pk, 8)
    cancel_screening(owner.actor, screening.pk, "entered twice")
    first, second = Transmission.objects.order_by("version_number")
    (pk,) = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    _settle("w1", Outcome(pk, "retry", error="timeout"))

    assert first.message_id != second.message_id
    assert Transmission.objects.get(pk=first.pk).message_id == first.message_id


def _settle_loaded(owner: str, ids: list[int], *outcomes: Outcome) -> dict[str, int]:
    """As the worker settles: from the rows it loaded right after its claim."""
    from relais.relay.building import load

    claimed = {row.pk: row for row in load(ids)}
    counts = record_outcomes(
        SYSTEM, owner, "sidep", list(outcomes), NO_REQUEST, policy=POLICY, claimed=claimed
    )
    return dict(counts)


def test_settling_from_the_loaded_rows_leaves_the_rows_another_worker_took_over(queued) -> None:
    first = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    stolen = first[0]
    Transmission.objects.filter(pk=stolen).update(next_attempt_at=timezone.now())
    assert outbox.claim("w2", "sidep", 10, lease_seconds=60) == [stolen]

    counts = _settle_loaded(
        "w1", first, *(Outcome(pk, "acknowledged", reference=f"REF-{pk}") for pk in first)
    )

    assert (counts["acknowledged"], counts["lost"]) == (2, 1)
    taken = Transmission.objects.get(pk=stolen)
    assert (taken.status, taken.lease_owner, taken.platform_reference) == ("sending", "w2", "")
    settled = Transmission.objects.exclude(pk=stolen)
    assert {(row.status, row.platform_reference) for row in settled} == {
        ("acknowledged", f"REF-{pk}") for pk in first[1:]
    }


def test_settling_from_the_loaded_rows_keeps_reasons_and_counts_the_claimed_attempt(
    queued,
) -> None:
    a, b, c = (row.pk for row in queued)
    Transmission.objects.filter(pk=c).update(attempts=POLICY.max_attempts - 1)
    ids = outbox.claim("w1", "sidep", 10, lease_seconds=60)
    reasons = ('nir: clé invalide « 2A » {"x": 1}', "l'heure, \\ et ,{}")

    counts = _settle_loaded(
        "w1",
        ids,
        Outcome(a, "rejected", reasons=reasons, error="refused"),
        Outcome(b, "retry", error="timeout"),
        Outcome(c, "retry", error="timeout"),
    )

    assert (counts["rejected"], counts["retrying"], counts["dead"]) == (1, 1, 1)
    rejected = Transmission.objects.get(pk=a)
    assert (rejected.reasons, rejected.last_error, rejected.lease_owner) == (
        list(reasons),
        "refused",
        "",
    )
    retrying = Transmission.objects.get(pk=b)
    assert (retrying.status, retrying.attempts, retrying.lease_expires_at) == (
        "retrying",
        1,
        None,
    )
    assert Transmission.objects.get(pk=c).status == "dead"
