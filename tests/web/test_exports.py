"""Exports: re-authentication first, POST only, streamed, CSV-injection-safe, audited."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from relais.audit.models import AuditEvent
from relais.screening.documents.exports import FORMULA_TRIGGERS
from tests.conftest import Personas
from tests.web.conftest import counter_form, reauthenticated

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


@pytest.mark.usefixtures("devices")
def test_an_export_without_a_fresh_reauthentication_is_sent_to_reauthenticate(
    personas: Personas,
) -> None:
    response = personas["pharmacist_a"].client().post("/exports/", {"start": TODAY, "end": TODAY})
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_a_technician_cannot_export(personas: Personas) -> None:
    assert reauthenticated(personas["technician_a"]).get("/exports/").status_code == 403


@pytest.mark.usefixtures("devices")
def test_the_csv_holds_only_this_pharmacy_neutralises_formulas_and_is_audited(
    personas: Personas,
) -> None:
    personas["technician_a"].client().post("/counter/", counter_form(phone="+33612345678"))
    personas["technician_b"].client().post("/counter/", counter_form(last_name="Autre"))
    client = reauthenticated(personas["pharmacist_a"])
    response = client.post("/exports/", {"start": TODAY, "end": TODAY, "format": "csv"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert "Autre" not in text
    assert all(not cell.startswith(FORMULA_TRIGGERS) for row in rows for cell in row)
    assert "'+33" in text
    event = AuditEvent.objects.filter(action="screening.exported").get()
    assert event.details["count"] == 1
    assert event.pharmacy_id == personas.pharmacy_a.pk


@pytest.mark.usefixtures("devices")
def test_the_pdf_export_is_a_pdf_built_in_memory(personas: Personas) -> None:
    personas["technician_a"].client().post("/counter/", counter_form())
    client = reauthenticated(personas["owner_a"])
    response = client.post("/exports/", {"start": TODAY, "end": TODAY, "format": "pdf"})
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")


def test_an_export_has_no_get_url_that_returns_data(personas: Personas) -> None:
    response = reauthenticated(personas["owner_a"]).get(f"/exports/?start={TODAY}&end={TODAY}")
    assert response["Content-Type"].startswith("text/html")
