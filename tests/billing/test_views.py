"""Billing screens: owners see their own issued statements; the operator runs billing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from relais.accounts.testing import signed_in_client
from relais.billing.models import Statement, StatementStatus
from relais.billing.periods import Month
from relais.billing.services import issue_statement, prepare_statement
from relais.pharmacies.models import Pharmacy
from tests.billing.conftest import LATER, SYSTEM, paris, settle
from tests.conftest import Persona, Personas

MARCH = Month(2026, 3)


def _client(persona: Persona) -> Client:
    """Signed in with a verified second factor (MFA is mandatory for every page)."""
    assert persona.user is not None
    return signed_in_client(persona.user)


def _issued(pharmacy: Pharmacy) -> Statement:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    return issue_statement(SYSTEM, prepare_statement(SYSTEM, pharmacy.pk, MARCH).pk, now=LATER)


def test_an_owner_sees_and_downloads_their_pharmacys_statements(personas: Personas) -> None:
    mine, theirs = _issued(personas.pharmacy_a), _issued(personas.pharmacy_b)
    client = _client(personas["owner_a"])
    listing = client.get(reverse("billing:statements")).content.decode()
    assert mine.number in listing and str(theirs.number) not in listing
    assert client.get(reverse("billing:statement", args=[mine.pk])).status_code == 200
    pdf = client.get(reverse("billing:download", args=[mine.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    csv = client.get(reverse("billing:download", args=[mine.pk, "csv"]))
    assert f'filename="{mine.number}.csv"' in csv["Content-Disposition"]
    assert csv["Cache-Control"] == "no-store"


def test_another_pharmacys_statement_is_not_found(personas: Personas) -> None:
    theirs = _issued(personas.pharmacy_b)
    client = _client(personas["owner_a"])
    for url in (
        reverse("billing:statement", args=[theirs.pk]),
        reverse("billing:download", args=[theirs.pk, "pdf"]),
        reverse("billing:download", args=[theirs.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404


def test_an_owner_does_not_see_a_draft(personas: Personas) -> None:
    draft = prepare_statement(SYSTEM, personas.pharmacy_a.pk, MARCH)
    client = _client(personas["owner_a"])
    assert client.get(reverse("billing:statement", args=[draft.pk])).status_code == 404


def test_staff_other_than_the_owner_and_the_operator_cannot_open_statements(
    personas: Personas,
) -> None:
    mine = _issued(personas.pharmacy_a)
    for name in ("pharmacist_a", "technician_a", "operator", "auditor"):
        response = _client(personas[name]).get(reverse("billing:statement", args=[mine.pk]))
        assert response.status_code == 403, name


def test_the_operator_sees_every_pharmacys_volume_and_revenue(personas: Personas) -> None:
    for day in (2, 3):
        settle(personas.pharmacy_a, paris(2026, 3, day, 9, 0))
    settle(personas.pharmacy_b, paris(2026, 3, 4, 9, 0))
    from relais.billing.services import record_usage

    record_usage(SYSTEM)
    page = _client(personas["operator"]).get(reverse("billing:operator"), {"month": "2026-03"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Pharmacie A" in text and "Pharmacie B" in text
    assert "3,00 €" in text  # 3 units at 1,00 € excluding VAT


def test_the_operator_prepares_issues_and_marks_a_statement_paid(personas: Personas) -> None:
    settle(personas.pharmacy_a, paris(2026, 3, 2, 9, 0))
    client = _client(personas["operator"])
    prepared = client.post(
        reverse("billing:operator_prepare"),
        {"pharmacy": personas.pharmacy_a.pk, "month": "2026-03"},
    )
    statement = Statement.objects.get()
    assert prepared.status_code == 302 and statement.status == StatementStatus.DRAFT
    client.post(reverse("billing:operator_issue", args=[statement.pk]))
    statement.refresh_from_db()
    assert statement.number == "RLS-2026-000001"
    client.post(reverse("billing:operator_paid", args=[statement.pk]))
    client.post(
        reverse("billing:operator_credit", args=[statement.pk]),
        {"reason": "Transmission en double", "day": "2026-03-02", "units": "1"},
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID
    assert statement.credit_notes.get().units == -1
    page = client.get(reverse("billing:operator_statement", args=[statement.pk]))
    assert "AVR-2026-000001" in page.content.decode()


def test_an_owner_cannot_issue_a_statement(personas: Personas) -> None:
    draft = prepare_statement(SYSTEM, personas.pharmacy_a.pk, MARCH)
    response = _client(personas["owner_a"]).post(reverse("billing:operator_issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert response.status_code == 403 and draft.status == StatementStatus.DRAFT
