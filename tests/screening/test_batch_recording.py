"""A batch records like one-at-a-time: same patients, same duplicates, same audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.relay.models import Transmission
from relais.screening import bulk
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.readmodels import RecordOutcome
from relais.screening.services import record_screening, record_screenings
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, nir_with_key, valid_body

pytestmark = pytest.mark.usefixtures("devices")


def _person(n: int, **changes: Any) -> dict[str, Any]:
    body = valid_body(
        sampled_at=(SAMPLED - timedelta(minutes=n)).isoformat(),
        patient__last_name=f"Martin{'e' * (n % 5)}",
        patient__nir=nir_with_key(f"2800175123{n:03d}"),
        patient__email=f"person.{n}@example.org",
    )
    body.update(changes)
    return body


def _recorded(outcomes: list[RecordOutcome | ValidationErrors]) -> list[RecordOutcome]:
    recorded = [o for o in outcomes if isinstance(o, RecordOutcome)]
    assert len(recorded) == len(outcomes)
    return recorded


def test_a_batch_records_each_item_with_its_version_transmission_and_audit_event(
    personas: Personas,
) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    outcomes = _recorded(
        record_screenings(actor, pharmacy, [_person(n) for n in range(5)], now=NOW)
    )
    assert [o.created for o in outcomes] == [True] * 5
    ids = {o.screening.pk for o in outcomes}
    assert set(Screening.objects.values_list("pk", flat=True)) == ids
    assert set(ScreeningVersion.objects.values_list("screening_id", flat=True)) == ids
    assert set(Transmission.objects.values_list("screening_id", flat=True)) == ids
    events = AuditEvent.objects.filter(action="screening.recorded", pharmacy_id=pharmacy)
    assert sorted(e.object_ids[0] for e in events) == sorted(str(i) for i in ids)
    assert Patient.objects.count() == 5


def test_encrypted_values_written_by_a_batch_read_back_as_submitted(personas: Personas) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    outcome = _recorded(record_screenings(actor, pharmacy, [_person(6)], now=NOW))[0]
    patient = Patient.objects.get(pk=outcome.screening.patient_id)
    version = ScreeningVersion.objects.get(screening_id=outcome.screening.pk)
    assert (patient.last_name, patient.email) == ("Martine", "person.6@example.org")
    assert (version.result, version.sampled_at) == ("negative", SAMPLED - timedelta(minutes=6))


def test_the_same_person_twice_in_a_batch_is_one_patient(personas: Personas) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    morning = _person(1)
    evening = _person(1, sampled_at=(SAMPLED - timedelta(hours=3)).isoformat())
    evening["patient"]["phone"] = "07 98 76 54 32"
    first, second = _recorded(record_screenings(actor, pharmacy, [morning, evening], now=NOW))
    assert first.created and second.created
    assert first.screening.patient_id == second.screening.patient_id
    assert Patient.objects.get().phone == "+33798765432"


def test_a_duplicate_inside_a_batch_returns_the_screening_recorded_just_before(
    personas: Personas,
) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    first, again = _recorded(record_screenings(actor, pharmacy, [_person(2), _person(2)], now=NOW))
    assert (first.created, again.created) == (True, False)
    assert again.screening.pk == first.screening.pk
    assert Screening.objects.count() == ScreeningVersion.objects.count() == 1


def test_a_batch_finds_patients_and_screenings_recorded_earlier(personas: Personas) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    earlier = record_screening(actor, pharmacy, _person(3), now=NOW)
    later = _person(3, sampled_at=(SAMPLED - timedelta(hours=1)).isoformat())
    same, other = _recorded(record_screenings(actor, pharmacy, [_person(3), later], now=NOW))
    assert not same.created and same.screening.pk == earlier.screening.pk
    assert other.created and other.screening.patient_id == earlier.screening.patient_id
    assert Patient.objects.count() == 1


def test_an_invalid_item_is_refused_alone_and_the_others_are_kept(personas: Personas) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    broken = _person(4, result="maybe")
    outcomes = record_screenings(actor, pharmacy, [_person(5), broken, _person(6)], now=NOW)
    assert isinstance(outcomes[1], ValidationErrors)
    assert [e.field for e in outcomes[1].errors] == ["result"]
    assert [type(o).__name__ for o in (outcomes[0], outcomes[2])] == ["RecordOutcome"] * 2
    assert Screening.objects.count() == 2


def test_a_batch_of_invalid_items_only_is_still_audited(personas: Personas) -> None:
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    outcomes = record_screenings(actor, pharmacy, [_person(8, consent=False)], now=NOW)
    assert isinstance(outcomes[0], ValidationErrors)
    event = AuditEvent.objects.get(action="screening.recorded")
    assert (event.outcome, event.details) == ("invalid", {"invalid_count": 1})


def test_a_batch_losing_a_race_for_a_patient_falls_back_to_one_item_at_a_time(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent request created the patient between the batch's query and its insert:
    the unique NIR constraint refuses the batch's copy, which then records item by item."""
    actor, pharmacy = personas["owner_a"].actor, personas.pharmacy_a.pk
    existing = record_screening(actor, pharmacy, _person(9), now=NOW)
    real_candidates = bulk.candidates_for
    calls: list[int] = []

    def stale_on_first_call(*args: Any) -> list[Patient]:
        calls.append(1)
        return [] if len(calls) == 1 else real_candidates(*args)

    monkeypatch.setattr(bulk, "candidates_for", stale_on_first_call)
    later = _person(9, sampled_at=(SAMPLED - timedelta(hours=2)).isoformat())
    (outcome,) = _recorded(record_screenings(actor, pharmacy, [later], now=NOW))
    assert len(calls) == 2
    assert outcome.created and outcome.screening.patient_id == existing.screening.patient_id
    assert Patient.objects.count() == 1 and Screening.objects.count() == 2
