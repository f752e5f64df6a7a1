"""Follow-up: rejections highlighted with the platform's reason, corrections and
cancellations with their history, replay of a dead transmission, the receipt."""

from __future__ import annotations

import re

import pytest

from relais.relay.models import Transmission
from relais.screening.models import Screening
from tests.conftest import Personas
from tests.web.conftest import counter_form

pytestmark = pytest.mark.usefixtures("devices")


def _recorded(personas: Personas) -> Screening:
    personas["technician_a"].client().post("/counter/", counter_form())
    return Screening.objects.get(pharmacy=personas.pharmacy_a)


def test_a_rejection_is_listed_first_with_the_platform_reason_then_corrected(
    personas: Personas,
) -> None:
    screening = _recorded(personas)
    Transmission.objects.filter(screening_id=screening.pk).update(
        status="rejected", reasons=["INS-042 date de naissance incohérente"]
    )
    client = personas["pharmacist_a"].client()
    listing = client.get("/followup/").content.decode()
    assert 'class="rejected"' in listing and "INS-042" in listing
    page = client.get(f"/followup/{screening.pk}/").content.decode()
    assert 'id="rejection"' in page
    form = {**counter_form(), "birth_date": "18/01/1980", "nir": "", "notes": "date corrigée"}
    form["sampled_at"] = page.split('name="sampled_at" type="datetime-local" value="')[1][:16]
    response = client.post(f"/followup/{screening.pk}/correct/", form)
    assert response.status_code == 302, re.findall(
        r"(?:role=\"alert\">|aria-live=\"polite\">)([^<]+)<", response.content.decode()
    )
    screening.refresh_from_db()
    assert screening.current_version == 2


def test_a_technician_cannot_cancel_and_a_pharmacist_can_with_a_reason(
    personas: Personas,
) -> None:
    screening = _recorded(personas)
    refused = (
        personas["technician_a"]
        .client()
        .post(f"/followup/{screening.pk}/cancel/", {"reason": "erreur"})
    )
    assert refused.status_code == 403
    done = (
        personas["pharmacist_a"]
        .client()
        .post(f"/followup/{screening.pk}/cancel/", {"reason": "saisi deux fois"})
    )
    assert done.status_code == 302
    screening.refresh_from_db()
    assert screening.status == "cancelled"


def test_another_pharmacy_s_screening_is_not_found(personas: Personas) -> None:
    screening = _recorded(personas)
    client = personas["pharmacist_b"].client()
    assert client.get(f"/followup/{screening.pk}/").status_code == 404
    assert client.post("/receipt/", {"screening": str(screening.pk)}).status_code == 404


def test_a_dead_transmission_is_replayed_by_a_pharmacist(personas: Personas) -> None:
    screening = _recorded(personas)
    row = Transmission.objects.get(screening_id=screening.pk)
    Transmission.objects.filter(pk=row.pk).update(status="dead")
    response = personas["pharmacist_a"].client().post(f"/followup/transmissions/{row.pk}/replay/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "queued"


def test_the_receipt_is_a_pdf_streamed_without_being_cached(personas: Personas) -> None:
    screening = _recorded(personas)
    response = personas["technician_a"].client().post("/receipt/", {"screening": str(screening.pk)})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")
