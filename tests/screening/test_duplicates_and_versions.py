"""No duplicates; corrections and cancellations add versions and keep the previous ones."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relais.access.errors import AccessDeniedError
from relais.core.fielderrors import ValidationErrors
from relais.screening.errors import IdempotencyConflictError
from relais.screening.hooks import collecting_versions
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.models.screening import ImmutableVersionError
from relais.screening.services import (
    cancel_screening,
    correct_screening,
    get_screening,
    record_screening,
)
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, valid_body

pytestmark = pytest.mark.usefixtures("devices")


def test_recording_the_same_screening_twice_returns_the_first(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    first = record_screening(actor, pharmacy, valid_body(), now=NOW)
    # Same test typed at the counter to the minute, with spacing differences in the NIR.
    again_body = valid_body(sampled_at=(SAMPLED + timedelta(seconds=20)).isoformat())
    again_body["patient"]["nir"] = " ".join(
        again_body["patient"]["nir"][i : i + 3] for i in range(0, 15, 3)
    )
    again = record_screening(actor, pharmacy, again_body, now=NOW)
    assert (first.created, again.created) == (True, False)
    assert again.screening.pk == first.screening.pk
    assert Screening.objects.count() == 1
    assert ScreeningVersion.objects.count() == 1


def test_another_kind_or_sample_time_is_another_screening(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    record_screening(actor, pharmacy, valid_body(), now=NOW)
    record_screening(actor, pharmacy, valid_body(test_kind="rt_pcr", device_id=None), now=NOW)
    later = (SAMPLED + timedelta(minutes=30)).isoformat()
    record_screening(actor, pharmacy, valid_body(sampled_at=later), now=NOW)
    assert Screening.objects.count() == 3
    assert Patient.objects.count() == 1


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(
    personas: Personas,
) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    first = record_screening(actor, pharmacy, valid_body(), idempotency="k-1", now=NOW)
    replay = record_screening(actor, pharmacy, valid_body(), idempotency="k-1", now=NOW)
    assert replay.screening.pk == first.screening.pk and not replay.created
    with pytest.raises(IdempotencyConflictError):
        record_screening(actor, pharmacy, valid_body(result="positive"), idempotency="k-1", now=NOW)


def test_a_correction_adds_a_version_and_keeps_the_previous_one(personas: Personas) -> None:
    actor = personas["technician_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    with collecting_versions() as relayed:
        corrected = correct_screening(
            actor, outcome.screening.pk, {"result": "positive", "notes": "misread"}, now=NOW
        )
    view = get_screening(actor, outcome.screening.pk)
    assert [(v.number, v.action, v.result) for v in view.versions] == [
        (1, "create", "negative"),
        (2, "correct", "positive"),
    ]
    assert view.current.notes == "misread"
    assert [v.pk for v in relayed] == [corrected.version.pk]


def test_a_correction_of_the_patient_changes_the_identity_sent_next(personas: Personas) -> None:
    actor = personas["pharmacist_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    correct_screening(actor, outcome.screening.pk, {"patient": {"last_name": "Dupond"}}, now=NOW)
    assert get_screening(actor, outcome.screening.pk).patient.last_name == "Dupond"


def test_an_invalid_correction_is_refused_per_field_and_adds_nothing(personas: Personas) -> None:
    actor = personas["technician_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    with pytest.raises(ValidationErrors) as raised:
        correct_screening(actor, outcome.screening.pk, {"result": "??", "consent": False}, now=NOW)
    assert {e.field for e in raised.value.errors} == {"result", "consent"}
    assert ScreeningVersion.objects.count() == 1


def test_a_cancellation_adds_a_cancel_version_and_freezes_the_screening(
    personas: Personas,
) -> None:
    owner = personas["owner_a"].actor
    outcome = record_screening(owner, personas.pharmacy_a.pk, valid_body(), now=NOW)
    cancelled = cancel_screening(owner, outcome.screening.pk, "entered by mistake", now=NOW)
    assert cancelled.version.action == "cancel" and cancelled.version.number == 2
    assert cancelled.version.result == "negative"  # the message still says what is cancelled
    again = cancel_screening(owner, outcome.screening.pk, "twice", now=NOW)
    assert again.version.pk == cancelled.version.pk
    with pytest.raises(ValidationErrors):
        correct_screening(owner, outcome.screening.pk, {"result": "positive"}, now=NOW)
    # Entered by mistake: entering the right one is possible again.
    assert record_screening(owner, personas.pharmacy_a.pk, valid_body(), now=NOW).created


def test_a_technician_may_correct_but_not_cancel(personas: Personas) -> None:
    tech = personas["technician_a"].actor
    outcome = record_screening(tech, personas.pharmacy_a.pk, valid_body(), now=NOW)
    with pytest.raises(AccessDeniedError):
        cancel_screening(tech, outcome.screening.pk, "no")
    assert Screening.objects.get().status == "active"


def test_a_stored_version_cannot_be_changed(personas: Personas) -> None:
    record_screening(personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    version = ScreeningVersion.objects.get()
    version.result = "positive"
    with pytest.raises(ImmutableVersionError):
        version.save()
