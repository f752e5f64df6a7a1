"""Statements: prices by day, VAT, numbering, immutability, payment, credit notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from relais.billing.errors import (
    AlreadyIssuedError,
    BillingError,
    CreditTooLargeError,
    MonthNotOverError,
)
from relais.billing.models import (
    CreditNote,
    ImmutableDocumentError,
    Statement,
    StatementLine,
    StatementStatus,
    UsageRecord,
)
from relais.billing.periods import Month
from relais.billing.services import (
    issue_credit_note,
    issue_statement,
    mark_statement_paid,
    prepare_statement,
    set_contract,
)
from relais.pharmacies.models import Pharmacy, PharmacyStatus
from tests.billing.conftest import LATER, SYSTEM, paris, settle

pytestmark = pytest.mark.django_db
MARCH = Month(2026, 3)


def _issued(pharmacy: Pharmacy, month: Month = MARCH) -> Statement:
    draft = prepare_statement(SYSTEM, pharmacy.pk, month)
    return issue_statement(SYSTEM, draft.pk, now=LATER)


def test_a_price_change_mid_month_applies_from_its_day(pharmacy: Pharmacy) -> None:
    set_contract(SYSTEM, pharmacy.pk, dt.date(2026, 1, 1))
    for day in (10, 14, 14, 15, 20):
        settle(pharmacy, paris(2026, 3, day, 12, 0))
    set_contract(SYSTEM, pharmacy.pk, dt.date(2026, 3, 15), unit_price_cents=85)
    statement = prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    lines = [(line.day.day, line.units, line.unit_price_cents) for line in statement.lines.all()]
    assert lines == [(10, 1, 100), (14, 2, 100), (15, 1, 85), (20, 1, 85)]
    assert statement.total_excl_vat_cents == 300 + 170
    assert statement.vat_cents == 94  # 20 % of 4,70 €
    assert statement.total_incl_vat_cents == 564


def test_vat_is_computed_on_the_monthly_total_not_per_line(pharmacy: Pharmacy) -> None:
    set_contract(SYSTEM, pharmacy.pk, dt.date(2026, 1, 1), unit_price_cents=3, vat_rate_bp=2000)
    for day in (2, 3, 4):
        settle(pharmacy, paris(2026, 3, day, 12, 0))
    statement = prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    # Per line 0,03 € at 20 % = 0,006 € → 0,01 € each (0,03 €); on the total 0,09 € → 0,02 €.
    assert (statement.total_excl_vat_cents, statement.vat_cents) == (9, 2)


def test_statements_are_numbered_in_sequence_per_year(
    pharmacy: Pharmacy, other_pharmacy: Pharmacy
) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    numbers = [_issued(pharmacy).number, _issued(other_pharmacy).number]
    numbers.append(_issued(pharmacy, Month(2026, 4)).number)
    assert numbers == ["RLS-2026-000001", "RLS-2026-000002", "RLS-2026-000003"]
    draft = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 10))
    next_year = issue_statement(SYSTEM, draft.pk, now=dt.datetime(2027, 1, 2, tzinfo=dt.UTC))
    assert next_year.number == "RLS-2027-000001"


def test_a_failed_issue_gives_its_number_back(pharmacy: Pharmacy) -> None:
    draft = prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    with pytest.raises(MonthNotOverError):
        issue_statement(SYSTEM, draft.pk, now=paris(2026, 3, 31, 23, 59))
    assert _issued(pharmacy).number == "RLS-2026-000001"


def test_a_month_is_issued_only_once_it_is_over_in_paris(pharmacy: Pharmacy) -> None:
    draft = prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    with pytest.raises(MonthNotOverError):
        issue_statement(SYSTEM, draft.pk, now=dt.datetime(2026, 3, 31, 21, 59, tzinfo=dt.UTC))
    issued = issue_statement(SYSTEM, draft.pk, now=dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC))
    assert issued.status == StatementStatus.ISSUED


def test_an_issued_statement_never_changes(pharmacy: Pharmacy) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    statement = _issued(pharmacy)
    statement.total_excl_vat_cents = 1
    with pytest.raises(ImmutableDocumentError):
        statement.save()
    with pytest.raises(AlreadyIssuedError):
        prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    with pytest.raises(ImmutableDocumentError):
        statement.lines.get().delete()
    with pytest.raises(ImmutableDocumentError):
        Statement.objects.get(pk=statement.pk).delete()
    assert UsageRecord.objects.get().statement_id == statement.pk


def test_the_database_refuses_to_rewrite_an_issued_statement(pharmacy: Pharmacy) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    statement = _issued(pharmacy)
    rewrites = [
        lambda: Statement.objects.filter(pk=statement.pk).update(total_excl_vat_cents=1),
        lambda: Statement.objects.filter(pk=statement.pk).update(status="draft"),
        lambda: Statement.objects.filter(pk=statement.pk).delete(),
        lambda: StatementLine.objects.filter(statement=statement).update(units=7),
        lambda: StatementLine.objects.filter(statement=statement).delete(),
        lambda: StatementLine.objects.bulk_create(
            [
                StatementLine(
                    statement=statement,
                    day=dt.date(2026, 3, 3),
                    units=1,
                    unit_price_cents=100,
                    vat_rate_bp=2000,
                    amount_excl_vat_cents=100,
                )
            ]
        ),
    ]
    for rewrite in rewrites:
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            rewrite()
    stored = Statement.objects.get(pk=statement.pk)
    assert (stored.status, stored.total_excl_vat_cents, stored.lines.get().units) == (
        "issued",
        100,
        1,
    )


def test_an_issued_statement_is_marked_paid_once(pharmacy: Pharmacy) -> None:
    statement = _issued(pharmacy)
    paid = mark_statement_paid(SYSTEM, statement.pk, now=LATER)
    assert (paid.status, paid.paid_at) == (StatementStatus.PAID, LATER)
    with pytest.raises(BillingError):
        mark_statement_paid(SYSTEM, statement.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(status="issued")


def test_a_credit_note_corrects_an_issued_statement_with_negative_lines(
    pharmacy: Pharmacy,
) -> None:
    for day in (2, 2, 2, 5):
        settle(pharmacy, paris(2026, 3, day, 9, 0))
    statement = _issued(pharmacy)
    note = issue_credit_note(
        SYSTEM,
        statement.pk,
        "Doublon signalé par la pharmacie",
        {dt.date(2026, 3, 2): 2},
        now=LATER,
    )
    assert note.number == "AVR-2026-000001"
    assert [
        (line.day.day, line.units, line.amount_excl_vat_cents) for line in note.lines.all()
    ] == [(2, -2, -200)]
    assert (note.total_excl_vat_cents, note.vat_cents, note.total_incl_vat_cents) == (
        -200,
        -40,
        -240,
    )
    with pytest.raises(CreditTooLargeError):
        issue_credit_note(SYSTEM, statement.pk, "encore", {dt.date(2026, 3, 2): 2})
    rest = issue_credit_note(SYSTEM, statement.pk, "Annulation du relevé", now=LATER)
    assert (rest.number, rest.units) == ("AVR-2026-000002", -2)
    with pytest.raises(BillingError):
        issue_credit_note(SYSTEM, statement.pk, "plus rien à créditer")
    statement.refresh_from_db()
    assert statement.total_excl_vat_cents == 400  # the statement itself never changed
    with pytest.raises(ImmutableDocumentError):
        CreditNote.objects.get(pk=note.pk).save()


def test_a_draft_cannot_be_credited(pharmacy: Pharmacy) -> None:
    draft = prepare_statement(SYSTEM, pharmacy.pk, MARCH)
    with pytest.raises(BillingError):
        issue_credit_note(SYSTEM, draft.pk, "erreur")


def test_a_pharmacy_suspended_mid_month_is_billed_for_its_units_until_then(
    pharmacy: Pharmacy,
) -> None:
    for day in (3, 9):
        settle(pharmacy, paris(2026, 3, day, 9, 0))
    pharmacy.status = PharmacyStatus.SUSPENDED
    pharmacy.save()
    statement = _issued(pharmacy)
    assert (statement.status, statement.units, statement.total_incl_vat_cents) == (
        StatementStatus.ISSUED,
        2,
        240,
    )


def test_only_the_operator_runs_the_statement_lifecycle(personas: object) -> None:
    from relais.access.errors import AccessDeniedError

    owner = personas["owner_a"]  # type: ignore[index]
    with pytest.raises(AccessDeniedError):
        prepare_statement(owner.actor, owner.pharmacy.pk, MARCH)
    assert not Statement.objects.exists()
