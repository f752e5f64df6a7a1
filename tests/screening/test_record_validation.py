"""Bad input: every invalid field gets its own error, valid ones none, and nothing is saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.core.fielderrors import render as render_error
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.services import record_screening
from relais.screening.submission import Device, validate_submission
from tests.conftest import Personas
from tests.screening.conftest import NOW, PANBIO, valid_body

pytestmark = pytest.mark.usefixtures("devices")


def _errors(personas: Personas, body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as raised:
        record_screening(personas["technician_a"].actor, personas.pharmacy_a.pk, body, now=NOW)
    return {e.field: e.code for e in raised.value.errors}


def test_every_invalid_field_gets_its_own_error_and_nothing_is_saved(personas: Personas) -> None:
    body = valid_body(
        patient__last_name="Dupont\x07",
        patient__birth_date="2999-01-01",
        patient__nir="1800175123456",
        patient__email="not-an-email",
        patient__address={"postal_code": "7500", "city": "Paris"},
        test_kind="rapid_antigen",
        device_id="999999",
        sampled_at=(NOW + timedelta(hours=2)).isoformat(),
        result="maybe",
        symptoms=True,
        symptoms_onset=None,
        consent=False,
        external_ref="x" * 300,
    )
    errors = _errors(personas, body)
    assert errors == {
        "patient.last_name": "name.control_character",
        "patient.birth_date": "birth_date.in_future",
        "patient.nir": "nir.missing_key",
        "patient.email": "email.invalid",
        "patient.address.postal_code": "postal_code.invalid_fr",
        "device_id": "device_id.unknown",
        "sampled_at": "sampled_at.in_future",
        "result": "result.invalid",
        "consent": "consent.required",
        "external_ref": "external_ref.invalid",
    }
    assert not Patient.objects.exists()
    assert not Screening.objects.exists()
    assert not ScreeningVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="screening.recorded").exists()


def test_without_consent_nothing_is_recorded_and_the_reason_is_said_in_french_and_english(
    personas: Personas,
) -> None:
    with pytest.raises(ValidationErrors) as raised:
        record_screening(
            personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(consent=False), now=NOW
        )
    (error,) = raised.value.errors
    assert "consentement" in render_error(error, "fr")
    assert "consent" in render_error(error, "en")
    assert not Screening.objects.exists()


def test_a_rapid_antigen_test_requires_a_device(personas: Personas) -> None:
    assert _errors(personas, valid_body(device_id=None)) == {"device_id": "device_id.required"}


def test_a_rapid_antigen_test_requires_an_active_device(personas: Personas) -> None:
    from relais.screening.models import ValueSetEntry

    ValueSetEntry.objects.filter(code=PANBIO).update(active=False)
    assert _errors(personas, valid_body()) == {"device_id": "device_id.inactive"}


def test_an_rt_pcr_sample_names_no_device(personas: Personas) -> None:
    body = valid_body(test_kind="rt_pcr")
    assert _errors(personas, body) == {"device_id": "device_id.unexpected"}


def test_a_missing_patient_and_test_are_each_reported(personas: Personas) -> None:
    errors = _errors(personas, {})
    assert errors == {
        "patient": "patient.required",
        "test_kind": "test_kind.required",
        "sampled_at": "sampled_at.required",
        "result": "result.required",
        "symptoms": "symptoms.required",
        "consent": "consent.required",
    }


def test_symptoms_need_an_onset_date_no_older_than_thirty_days(personas: Personas) -> None:
    assert _errors(personas, valid_body(symptoms=True)) == {
        "symptoms_onset": "symptoms_onset.required"
    }
    late = (NOW - timedelta(days=40)).date().isoformat()
    assert _errors(personas, valid_body(symptoms=True, symptoms_onset=late)) == {
        "symptoms_onset": "symptoms_onset.too_old"
    }


def test_a_sample_older_than_the_window_is_refused(personas: Personas) -> None:
    old = (NOW - timedelta(days=8)).isoformat()
    assert _errors(personas, valid_body(sampled_at=old)) == {"sampled_at": "sampled_at.too_old"}


def _lookup(code: str) -> Device | None:
    return Device(code, "Some device", True) if code == PANBIO else None


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(valid_body())), value=JSONISH)
def test_any_value_in_any_field_is_either_accepted_or_refused_with_field_errors(
    field: str, value: object
) -> None:
    body = valid_body(**{field: value})
    try:
        clean, _warnings = validate_submission(body, now=NOW, devices=_lookup)
    except ValidationErrors as refused:
        assert refused.errors
        assert all(render_error(e, "en") for e in refused.errors)
        assert all(e.field.split(".")[0] in valid_body() for e in refused.errors)
    else:
        assert clean.test.consent is True
