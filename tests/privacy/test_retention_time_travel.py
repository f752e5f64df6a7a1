"""Time travel: each data class disappears on time, and nothing earlier."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from django.test import override_settings

from relais.access.actors import SYSTEM
from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.privacy.models import RetentionContract
from relais.privacy.runner import dry_run, purge
from relais.privacy.services.purging import set_retention_contract
from relais.relay.models import Transmission
from relais.screening.models import Patient, Screening, ScreeningVersion
from tests.conftest import Personas
from tests.privacy.helpers import ACK, DEAD, REJECTED, Clock, record, settle

pytestmark = pytest.mark.django_db


def holds_data(screening: Screening) -> bool:
    return ScreeningVersion.objects.filter(screening=screening).exists()


def test_an_acknowledged_screening_keeps_its_data_seven_days_then_loses_it(
    personas: Personas, clock: Clock
) -> None:
    a = personas.pharmacy_a
    screening = record(personas["technician_a"].actor, a.pk, 1, clock.now())
    acked_at = clock.advance(hours=1)
    settle(screening, ACK, acked_at)

    purge(acked_at + dt.timedelta(days=7) - dt.timedelta(seconds=1))
    assert holds_data(screening)
    assert Patient.objects.get(pk=screening.patient_id).last_name == "Lefebvre"

    report = purge(acked_at + dt.timedelta(days=7))
    assert report.total("acknowledged") == 1
    assert not holds_data(screening)
    patient = Patient.objects.get(pk=screening.patient_id)
    assert patient.last_name is None
    assert patient.nir is None
    assert (patient.nir_index, patient.email_index, patient.identity_index) == (None, None, None)
    kept = Screening.objects.get(pk=screening.pk)
    assert (kept.kind, kept.status, kept.dedup_key) == ("rt_pcr", "active", None)
    transmission = Transmission.objects.get(screening_id=screening.pk)
    assert (transmission.status, transmission.version_id) == ("acknowledged", None)


def test_a_contract_shortens_one_pharmacys_retention_and_not_the_others(
    personas: Personas, clock: Clock
) -> None:
    set_retention_contract(personas["operator"].actor, personas.pharmacy_b.pk, 2)
    in_a = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    in_b = record(personas["owner_b"].actor, personas.pharmacy_b.pk, 2, clock.now())
    for screening in (in_a, in_b):
        settle(screening, ACK, clock.now())

    purge(clock.now() + dt.timedelta(days=2))
    assert holds_data(in_a)
    assert not holds_data(in_b)


def test_a_rejected_screening_waits_thirty_days_for_a_correction(
    personas: Personas, clock: Clock
) -> None:
    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, REJECTED, clock.now())

    purge(clock.now() + dt.timedelta(days=30) - dt.timedelta(minutes=1))
    assert holds_data(screening)
    report = purge(clock.now() + dt.timedelta(days=30))
    assert report.total("failed") == 1
    assert not holds_data(screening)


def test_a_corrected_screening_follows_the_acknowledgement_rule_again(
    personas: Personas, clock: Clock
) -> None:
    from relais.screening.services import correct_screening

    owner = personas["owner_a"].actor
    screening = record(owner, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, DEAD, clock.now())
    clock.advance(days=29)
    correct_screening(owner, screening.pk, {"result": "positive", "notes": "fixed"})
    settle(screening, ACK, clock.now())

    purge(clock.now() + dt.timedelta(days=2))  # 31 days after the failure, 2 after the ack
    assert holds_data(screening)
    purge(clock.now() + dt.timedelta(days=7))
    assert not holds_data(screening)


def test_a_screening_still_on_its_way_to_sidep_is_never_purged(
    personas: Personas, clock: Clock
) -> None:
    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())

    report = purge(clock.now() + dt.timedelta(days=400))
    assert report.total() == 0
    assert holds_data(screening)


def test_a_preregistration_lives_48_hours(personas: Personas, clock: Clock) -> None:
    from relais.screening.models import PreRegistration
    from relais.screening.services import create_preregistration, preregistration_link
    from tests.privacy.helpers import patient

    slug = preregistration_link(personas["owner_a"].actor, personas.pharmacy_a.pk)
    body = {k: v for k, v in patient(3).items() if k != "phone"}
    create_preregistration(SYSTEM, slug, body, now=clock.now())

    purge(clock.now() + dt.timedelta(hours=48) - dt.timedelta(seconds=1))
    assert PreRegistration.objects.count() == 1
    purge(clock.now() + dt.timedelta(hours=48))
    assert PreRegistration.objects.count() == 0


def test_each_purge_batch_is_audited_with_ids_and_counts_never_data(
    personas: Personas, clock: Clock
) -> None:
    screenings = [
        record(personas["owner_a"].actor, personas.pharmacy_a.pk, n, clock.now()) for n in (1, 2, 3)
    ]
    for screening in screenings:
        settle(screening, ACK, clock.now())

    purge(clock.now() + dt.timedelta(days=8), size=2)
    events = AuditEvent.objects.filter(action="privacy.data_purged", object_type="screening")
    assert [len(e.object_ids) for e in events.order_by("id")] == [2, 1]
    assert {i for e in events for i in e.object_ids} == {str(s.pk) for s in screenings}
    text = " ".join(str(e.details) for e in events)
    assert "Lefebvre" not in text
    assert "anne1@example.org" not in text
    assert events.first().details["class"] == "acknowledged"  # type: ignore[union-attr]


def test_the_dry_run_counts_per_class_and_pharmacy_and_changes_nothing(
    personas: Personas, clock: Clock
) -> None:
    a, b = personas.pharmacy_a.pk, personas.pharmacy_b.pk
    acked = [record(personas["owner_a"].actor, a, n, clock.now()) for n in (1, 2)]
    failed = record(personas["owner_b"].actor, b, 3, clock.now())
    for screening in acked:
        settle(screening, ACK, clock.now())
    settle(failed, REJECTED, clock.now())

    report = dry_run(clock.now() + dt.timedelta(days=31))
    assert report.counts[("acknowledged", a)] == 2
    assert report.counts[("failed", b)] == 1
    assert report.counts[("acknowledged", b)] == 0
    assert ScreeningVersion.objects.count() == 3


@override_settings(RELAIS_RETENTION_SCREENING_DAYS=90)
def test_an_out_of_bounds_retention_stops_the_purge(personas: Personas, clock: Clock) -> None:
    with pytest.raises(ImproperlyConfigured, match="between 1 and 30"):
        purge(clock.now())


def test_a_contract_outside_the_legal_bounds_is_refused_twice(personas: Personas) -> None:
    operator = personas["operator"].actor
    with pytest.raises(ValidationErrors):
        set_retention_contract(operator, personas.pharmacy_a.pk, 365)
    with pytest.raises(IntegrityError):
        RetentionContract.objects.create(
            pharmacy=personas.pharmacy_a, screening_days=365, updated_at=dt.datetime.now(dt.UTC)
        )
