"""The counter: walk-in, pre-registration pickup, returning patient, validation as you type."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from relais.access.actors import ANONYMOUS
from relais.screening.models import Screening
from relais.screening.services import create_preregistration, preregistration_link
from tests.conftest import Personas
from tests.web.conftest import counter_form

pytestmark = pytest.mark.usefixtures("devices")


def test_a_walk_in_patient_is_recorded_and_the_page_offers_the_receipt(
    personas: Personas,
) -> None:
    client = personas["technician_a"].client()
    response = client.post("/counter/", counter_form())
    assert response.status_code == 302
    assert Screening.objects.filter(pharmacy=personas.pharmacy_a).count() == 1
    page = client.get("/counter/")
    assert b'id="receipt-last"' in page.content
    assert page["Cache-Control"] == "no-store"


def test_sending_the_same_entry_twice_creates_one_screening(personas: Personas) -> None:
    client = personas["technician_a"].client()
    form = counter_form()
    client.post("/counter/", form)
    again = client.post("/counter/", form)
    assert again.status_code == 302
    assert Screening.objects.count() == 1


def test_an_invalid_entry_keeps_every_typed_value_and_names_the_field(
    personas: Personas,
) -> None:
    client = personas["technician_a"].client()
    response = client.post("/counter/", counter_form(nir="123", last_name="Martin"))
    body = response.content.decode()
    assert response.status_code == 422
    assert 'value="Martin"' in body
    assert 'id="err_nir" aria-live="polite">' in body
    assert 'id="id_nir" name="nir" type="text" value="123"' in body
    assert Screening.objects.count() == 0


def test_validation_as_you_type_reports_only_touched_fields_and_never_logs_the_nir(
    personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    client = personas["technician_a"].client()
    nir = "2800175123456" + "00"
    form = {**counter_form(nir=nir, last_name=""), "touched": ["nir"]}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/counter/validate/", form)
    body = response.content.decode()
    assert 'id="err_nir"' in body and "hx-swap-oob" in body
    assert 'id="err_last_name"' not in body
    assert nir not in body and nir not in caplog.text


def test_a_pre_registered_patient_is_picked_up_by_code_and_recorded_with_the_test_only(
    personas: Personas,
) -> None:
    owner = personas["owner_a"]
    slug = preregistration_link(owner.actor, personas.pharmacy_a.pk)
    identity = {
        "last_name": "Durand",
        "first_names": "Paul",
        "sex": "M",
        "birth_date": "1990-05-01",
        "no_nir_reason": "foreign_resident",
        "email": "paul@example.org",
    }
    issued = create_preregistration(ANONYMOUS, slug, identity)
    client = personas["technician_a"].client()
    shown = client.post("/counter/pickup/", {"code": issued.code.lower()})
    assert "Durand" in shown.content.decode()
    test = {k: v for k, v in counter_form().items() if k in {"test_kind", "device_id",
            "sampled_at", "result", "consent"}}  # fmt: skip
    done = client.post("/counter/pickup/", {"code": issued.code, "step": "record", **test})
    assert done.status_code == 302
    assert Screening.objects.filter(pharmacy=personas.pharmacy_a).count() == 1


def test_a_code_of_another_pharmacy_is_not_found(personas: Personas) -> None:
    slug = preregistration_link(personas["owner_b"].actor, personas.pharmacy_b.pk)
    identity = {"last_name": "Durand", "first_names": "Paul", "sex": "M",
                "birth_date": "1990-05-01", "no_nir_reason": "newborn",
                "email": "p@example.org"}  # fmt: skip
    issued = create_preregistration(ANONYMOUS, slug, identity)
    response = personas["technician_a"].client().post("/counter/pickup/", {"code": issued.code})
    assert response.status_code == 404
    assert "Durand" not in response.content.decode()


def test_a_returning_patient_is_found_by_email_and_only_the_test_is_entered(
    personas: Personas,
) -> None:
    client = personas["technician_a"].client()
    client.post("/counter/", counter_form(sampled_at="2020-01-01T10:00"))  # refused: too old
    client.post("/counter/", counter_form())
    found = client.post("/counter/patient/", {"query": "marie.dupont@example.org"})
    body = found.content.decode()
    assert "Dupont" in body and 'name="patient_id"' in body
    patient_id = body.split('name="patient_id" value="')[1].split('"')[0]
    test = counter_form(result="positive", sampled_at="")
    earlier = datetime.now(ZoneInfo("Europe/Paris")) - timedelta(hours=1)
    test["sampled_at"] = earlier.strftime("%Y-%m-%dT%H:%M")
    done = client.post(
        "/counter/patient/",
        {"step": "record", "patient_id": patient_id, **{k: test[k] for k in (
            "test_kind", "device_id", "sampled_at", "result", "consent")}},
    )  # fmt: skip
    assert done.status_code == 302
    assert Screening.objects.count() == 2


def test_the_other_pharmacy_finds_no_such_patient(personas: Personas) -> None:
    personas["technician_a"].client().post("/counter/", counter_form())
    response = (
        personas["technician_b"]
        .client()
        .post("/counter/patient/", {"query": "marie.dupont@example.org"})
    )
    assert response.status_code == 404
    assert "Dupont" not in response.content.decode()
