"""Data-subject requests: find, export (all and only that person), rectify, erase."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.access.errors import AccessDeniedError
from relais.accounts.testing import mark_mfa_verified, signed_in_client
from relais.audit.models import AuditEvent
from relais.privacy.portability import as_json
from relais.privacy.services.subjects import (
    REPORTING_DUTY,
    erase_subject,
    export_subject,
    find_subject,
    rectify_subject,
)
from relais.relay.models import Transmission
from relais.screening.models import Patient, Screening, ScreeningVersion
from tests.conftest import Personas
from tests.privacy.helpers import ACK, patient, record, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas: Personas) -> dict[str, list[Screening]]:
    """X (two screenings) and Y, same family name, in A; X's identity without NIR in B."""
    a, b = personas.pharmacy_a.pk, personas.pharmacy_b.pk
    now = timezone.now()
    x1 = record(personas["owner_a"].actor, a, 1, now)
    x2 = record(personas["owner_a"].actor, a, 1, now - dt.timedelta(hours=3))
    y = record(personas["owner_a"].actor, a, 2, now, email="y.lefebvre@example.org")
    z = record(
        personas["owner_b"].actor, b, 1, now, nir=None, no_nir_reason="not_provided_by_patient"
    )
    return {"x": [x1, x2], "y": [y], "z": [z]}


def test_a_person_is_found_by_nir_or_email_in_the_pharmacy_only(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    x_patient = people["x"][0].patient_id
    owner_a, owner_b = personas["owner_a"].actor, personas["owner_b"].actor
    a, b = personas.pharmacy_a.pk, personas.pharmacy_b.pk

    by_nir = find_subject(owner_a, a, nir=patient(1)["nir"])
    by_email = find_subject(owner_a, a, email="ANNE1@example.org")
    assert [p.id for p in by_nir] == [str(x_patient)]
    assert [p.id for p in by_email] == [str(x_patient)]
    assert find_subject(owner_b, b, nir=patient(1)["nir"]) == []
    with pytest.raises(AccessDeniedError):
        find_subject(owner_b, a, nir=patient(1)["nir"])
    with pytest.raises(AccessDeniedError):
        find_subject(personas["technician_a"].actor, a, nir=patient(1)["nir"])


def test_an_access_export_holds_all_and_only_that_persons_data(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    x = people["x"][0]
    data = json.loads(
        as_json(
            export_subject(personas["pharmacist_a"].actor, personas.pharmacy_a.pk, x.patient_id)
        )
    )
    text = json.dumps(data)

    assert {s["id"] for s in data["screenings"]} == {str(s.pk) for s in people["x"]}
    assert data["patient"]["nir"] == patient(1)["nir"]
    assert data["patient"]["email"] == "anne1@example.org"
    assert all(s["versions"] and s["transmissions"] for s in data["screenings"])
    assert data["controller"]["finess"] == personas.pharmacy_a.finess
    for other in (*people["y"], *people["z"]):
        assert str(other.pk) not in text
        assert str(other.patient_id) not in text
    assert "y.lefebvre@example.org" not in text
    event = AuditEvent.objects.get(action="privacy.subject_exported")
    assert event.object_ids == [str(x.patient_id)]


def test_erasure_is_refused_with_its_legal_basis_until_sidep_acknowledged(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    owner, a = personas["owner_a"].actor, personas.pharmacy_a.pk
    first, second = people["x"]
    settle(first, ACK, first.created_at)

    outcome = erase_subject(owner, a, first.patient_id)
    assert outcome.erased == (str(first.pk),)
    assert outcome.refused == (str(second.pk),)
    assert outcome.legal_basis == REPORTING_DUTY
    assert not outcome.patient_cleared
    refusal = AuditEvent.objects.get(action="privacy.subject_erasure_refused")
    assert refusal.details["legal_basis"] == REPORTING_DUTY

    settle(second, ACK, second.created_at)
    outcome = erase_subject(owner, a, first.patient_id)
    assert outcome.patient_cleared
    assert Patient.objects.get(pk=first.patient_id).nir is None
    assert not ScreeningVersion.objects.filter(screening__patient_id=first.patient_id).exists()
    other = people["y"][0]
    assert Patient.objects.get(pk=other.patient_id).last_name == "Lefebvre"


def test_a_rectification_is_a_correction_relayed_for_every_screening_held(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    x = people["x"][0]
    count = rectify_subject(
        personas["owner_a"].actor,
        personas.pharmacy_a.pk,
        x.patient_id,
        {"email": "anne.new@example.org"},
        "asked by the person",
    )
    assert count == 2
    assert Patient.objects.get(pk=x.patient_id).email == "anne.new@example.org"
    queued = Transmission.objects.filter(
        screening_id__in=[s.pk for s in people["x"]],
        version_number=2,
        status="queued",
    )
    assert queued.count() == 2


def _fresh_client(personas: Personas, name: str) -> Client:
    user = personas[name].user
    assert user is not None
    client = signed_in_client(user)
    mark_mfa_verified(client, user, password=True)
    return client


def test_the_requests_page_searches_by_post_and_streams_the_export(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    client = _fresh_client(personas, "owner_a")
    page = client.post(reverse("privacy:requests"), {"nir": patient(1)["nir"]})
    assert page.status_code == 200
    assert b"Lefebvre" in page.content
    x_patient = str(people["x"][0].patient_id)
    assert x_patient.encode() in page.content

    exported = client.post(reverse("privacy:export"), {"patient": x_patient, "format": "json"})
    assert exported.status_code == 200
    assert exported.streaming
    assert exported["Cache-Control"] == "no-store"
    body = json.loads(b"".join(exported.streaming_content))
    assert body["patient_id"] == x_patient
    pdf = client.post(reverse("privacy:export"), {"patient": x_patient, "format": "pdf"})
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_requests_pages_need_a_fresh_reauthentication(personas: Personas) -> None:
    user = personas["owner_a"].user
    assert user is not None
    client = signed_in_client(user)
    response = client.get(reverse("privacy:requests"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_another_pharmacys_patient_cannot_be_exported_or_erased(
    personas: Personas, people: dict[str, list[Screening]]
) -> None:
    client = _fresh_client(personas, "owner_b")
    x_patient = str(people["x"][0].patient_id)
    for name in ("privacy:export", "privacy:erase"):
        response = client.post(reverse(name), {"patient": x_patient, "format": "json"})
        assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.subject_exported").exists()
    assert Patient.objects.get(pk=x_patient).last_name == "Lefebvre"


def test_a_technician_is_refused_the_requests_page(personas: Personas) -> None:
    response = _fresh_client(personas, "technician_a").get(reverse("privacy:requests"))
    assert response.status_code == 403
