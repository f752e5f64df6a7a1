"""Returning patients, tenancy and who may read: always from the other pharmacy's side too."""

from __future__ import annotations

import uuid

import pytest

from relais.access.errors import AccessDeniedError
from relais.audit.models import AuditEvent
from relais.screening.errors import ScreeningNotFoundError
from relais.screening.models import Patient
from relais.screening.services import (
    correct_screening,
    find_patient,
    get_screening,
    list_screenings,
    record_screening,
)
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, valid_body

pytestmark = pytest.mark.usefixtures("devices")


def _later(minutes: int) -> str:
    from datetime import timedelta

    return (SAMPLED + timedelta(minutes=minutes)).isoformat()


def test_a_returning_patient_is_found_by_nir(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    first = record_screening(actor, pharmacy, valid_body(), now=NOW)
    body = valid_body(
        sampled_at=_later(30), patient__email=None, patient__last_name="Dupont-Martin"
    )
    second = record_screening(actor, pharmacy, body, now=NOW)
    assert second.screening.patient_id == first.screening.patient_id
    assert Patient.objects.count() == 1


def test_a_returning_patient_without_nir_is_found_by_email_and_identity(
    personas: Personas,
) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    no_nir = {"patient__nir": None, "patient__no_nir_reason": "foreign_resident"}
    first = record_screening(actor, pharmacy, valid_body(**no_nir), now=NOW)
    again = valid_body(sampled_at=_later(30), patient__email="Marie.Dupont@EXAMPLE.org", **no_nir)
    second = record_screening(actor, pharmacy, again, now=NOW)
    assert second.screening.patient_id == first.screening.patient_id
    found = find_patient(actor, pharmacy, email="marie.dupont@example.org")
    assert [p.id for p in found] == [str(first.screening.patient_id)]


def test_a_child_sharing_a_parents_email_is_another_patient(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    record_screening(actor, pharmacy, valid_body(), now=NOW)
    child = valid_body(
        patient__first_names=["Léa"],
        patient__birth_date="2015-04-02",
        patient__nir=None,
        patient__no_nir_reason="not_provided_by_patient",
    )
    record_screening(actor, pharmacy, child, now=NOW)
    assert Patient.objects.count() == 2
    assert len(find_patient(actor, pharmacy, email="marie.dupont@example.org")) == 2


def test_the_same_person_in_another_pharmacy_is_never_joined(personas: Personas) -> None:
    a = record_screening(personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    b = record_screening(personas["owner_b"].actor, personas.pharmacy_b.pk, valid_body(), now=NOW)
    assert a.screening.patient_id != b.screening.patient_id
    assert b.created  # not a "duplicate" of pharmacy A's screening
    nir = valid_body()["patient"]["nir"]
    found_b = find_patient(personas["owner_b"].actor, personas.pharmacy_b.pk, nir=nir)
    assert [p.id for p in found_b] == [str(b.screening.patient_id)]
    assert (
        Patient.objects.get(pk=a.screening.patient_id).nir_index
        != Patient.objects.get(pk=b.screening.patient_id).nir_index
    )


def test_another_pharmacys_screening_is_not_found_and_the_refusal_audited(
    personas: Personas,
) -> None:
    outcome = record_screening(
        personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW
    )
    with pytest.raises(ScreeningNotFoundError) as foreign:
        get_screening(personas["owner_b"].actor, outcome.screening.pk)
    with pytest.raises(ScreeningNotFoundError) as missing:
        get_screening(personas["owner_b"].actor, uuid.uuid4())
    assert str(foreign.value) == str(missing.value)
    refusal = AuditEvent.objects.filter(
        action="access.denied", actor_id=str(personas["owner_b"].user.pk)
    )
    assert refusal.filter(pharmacy_id=personas.pharmacy_a.pk).count() == 1
    assert not AuditEvent.objects.filter(action="screening.viewed").exists()


def test_another_pharmacy_cannot_correct_a_screening(personas: Personas) -> None:
    outcome = record_screening(
        personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW
    )
    with pytest.raises(ScreeningNotFoundError):
        correct_screening(
            personas["technician_b"].actor, outcome.screening.pk, {"result": "positive"}
        )


@pytest.mark.parametrize("persona", ["operator", "auditor", "anonymous"])
def test_the_operator_the_auditor_and_visitors_cannot_read_or_record(
    personas: Personas, persona: str
) -> None:
    outcome = record_screening(
        personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW
    )
    actor = personas[persona].actor
    with pytest.raises(AccessDeniedError):
        get_screening(actor, outcome.screening.pk)
    with pytest.raises(AccessDeniedError):
        list_screenings(actor, personas.pharmacy_a.pk)
    with pytest.raises(AccessDeniedError):
        record_screening(actor, personas.pharmacy_a.pk, valid_body(), now=NOW)


def test_a_read_is_audited_with_the_screening_and_patient(personas: Personas) -> None:
    actor = personas["technician_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, valid_body(), now=NOW)
    get_screening(actor, outcome.screening.pk)
    event = AuditEvent.objects.get(action="screening.viewed")
    assert event.object_ids == [str(outcome.screening.pk)]
    assert event.details == {"patient_id": str(outcome.screening.patient_id)}


def test_a_list_pages_with_a_cursor_and_audits_the_ids_shown(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    ids = {
        str(
            record_screening(
                actor, pharmacy, valid_body(sampled_at=_later(-m)), now=NOW
            ).screening.pk
        )
        for m in range(5)
    }
    record_screening(personas["owner_b"].actor, personas.pharmacy_b.pk, valid_body(), now=NOW)
    first = list_screenings(actor, pharmacy, limit=3)
    second = list_screenings(actor, pharmacy, limit=3, cursor=first.next_cursor)
    shown = [s.id for s in first.items + second.items]
    assert set(shown) == ids and len(shown) == 5
    assert second.next_cursor is None
    events = AuditEvent.objects.filter(action="screening.listed").order_by("occurred_at", "pk")
    assert [len(e.object_ids) for e in events] == [3, 2]
