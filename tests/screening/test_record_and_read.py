"""Recording a screening and reading it back: real-world identities round-trip."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.services import get_screening, record_screening
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, nir_with_key, valid_body

pytestmark = pytest.mark.usefixtures("devices")

IDENTITIES: list[tuple[str, dict[str, Any]]] = [
    (
        "accented and compound names",
        {
            "last_name": "Le Goff-N'Diaye",
            "first_names": ["Jean-Luc", "Émile"],
            "sex": "M",
            "birth_date": "1980-01-17",
            "nir": nir_with_key("1800175123456"),
        },
    ),
    (
        "a person born in Corsica",
        {
            "last_name": "Santoni",
            "first_names": ["Maria-Ghjuvanna"],
            "sex": "F",
            "birth_date": "1969-05-02",
            "nir": nir_with_key("269052A004012"),
        },
    ),
    (
        "a person born abroad",
        {
            "last_name": "Nguyễn",
            "first_names": ["Thị", "Mai"],
            "sex": "F",
            "birth_date": "1975-08-30",
            "nir": nir_with_key("2750899123045"),
        },
    ),
    (
        "a person without a NIR",
        {
            "last_name": "O'Connor",
            "first_names": ["Siobhán"],
            "sex": "U",
            "birth_date": "2001-12-24",
            "nir": None,
            "no_nir_reason": "foreign_resident",
            "address": {
                "line": "12 Main Street",
                "postal_code": "D02 X285",
                "city": "Dublin",
                "country": "IE",
            },
        },
    ),
    (
        "a NIR with an incomplete-record month",
        {
            "last_name": "de La Tour d'Auvergne",
            "first_names": ["Anne"],
            "sex": "F",
            "birth_date": "1950-06-01",
            "nir": nir_with_key("2509975123456"),
        },
    ),
]


@pytest.mark.parametrize(("case", "identity"), IDENTITIES, ids=[c for c, _ in IDENTITIES])
def test_a_real_world_identity_round_trips_through_record_and_read(
    personas: Personas, case: str, identity: dict[str, Any]
) -> None:
    body = valid_body(**{f"patient__{k}": v for k, v in identity.items()})
    actor = personas["technician_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, body, now=NOW)
    assert outcome.created
    view = get_screening(actor, outcome.screening.pk)
    assert view.patient.last_name == identity["last_name"]
    assert view.patient.first_names == tuple(identity["first_names"])
    assert view.patient.birth_date == date.fromisoformat(identity["birth_date"])
    assert view.patient.sex == identity["sex"]
    if identity.get("nir"):
        assert view.patient.nir_masked is not None
        assert identity["nir"] not in view.patient.nir_masked.replace(" ", "")
    else:
        assert view.patient.no_nir_reason == identity["no_nir_reason"]
    assert view.current.sampled_at == SAMPLED
    assert view.current.result == "negative"
    assert view.loinc == "94558-4"


def test_the_database_holds_no_plaintext_of_the_record(personas: Personas) -> None:
    body = valid_body(patient__last_name="Zyxwvutsr")
    record_screening(personas["owner_a"].actor, personas.pharmacy_a.pk, body, now=NOW)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name, nir, email FROM screening_patient")
        row = cursor.fetchone()
    assert all(b"Zyxwvutsr" not in bytes(v) and b"example.org" not in bytes(v) for v in row)
    assert Patient.objects.count() == 1
    assert ScreeningVersion.objects.count() == 1
    assert Screening.objects.get().kind == "rapid_antigen"


def test_an_rt_pcr_sample_is_coded_with_the_naa_loinc(personas: Personas) -> None:
    body = valid_body(test_kind="rt_pcr", device_id=None, result="positive")
    actor = personas["pharmacist_a"].actor
    outcome = record_screening(actor, personas.pharmacy_a.pk, body, now=NOW)
    view = get_screening(actor, outcome.screening.pk)
    assert (view.loinc, view.current.result, view.current.device_id) == ("94500-6", "positive", "")
