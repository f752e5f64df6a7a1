"""The operator's statement lifecycle: draw up (draft) → issue (numbered, frozen) → paid.

A statement is drawn up from the ledger after the ledger has caught up with the month, and
issued only once the Paris month is over. Mistakes in an issued statement are corrected by
a credit note, never by editing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.billing.documents import Line, ledger_lines, totals_of
from relais.billing.errors import (
    AlreadyIssuedError,
    BillingError,
    CreditTooLargeError,
    MonthNotOverError,
    StatementNotFoundError,
)
from relais.billing.ledger import pending_transmissions, settled_rows, write_usage
from relais.billing.models import (
    CreditNote,
    CreditNoteLine,
    Statement,
    StatementLine,
    StatementStatus,
    UsageRecord,
)
from relais.billing.numbering import CREDIT_NOTE_SERIES, STATEMENT_SERIES, next_number
from relais.billing.periods import Month, paris_day
from relais.core.services import service


@service
def prepare_statement(actor: Actor, pharmacy_id: int, month: Month) -> Statement:
    """Create or refresh the month's draft from the ledger (caught up first)."""
    require(actor, Action.BILLING_MANAGE)
    statement = _draft(pharmacy_id, month)
    record_event(
        AuditAction.BILLING_STATEMENT_PREPARED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="statement",
        object_ids=[statement.pk],
        details={"month": str(month), "units": statement.units},
    )
    return statement


@service
def issue_statement(
    actor: Actor, statement_id: int, *, now: dt.datetime | None = None
) -> Statement:
    """Refresh the draft one last time, number it and freeze it (with its ledger rows)."""
    require(actor, Action.BILLING_MANAGE)
    moment = now or timezone.now()
    statement = _locked(statement_id)
    month = Month(statement.year, statement.month)
    if moment < month.bounds()[1]:
        raise MonthNotOverError(f"{month} is not over yet in Paris")
    statement = _draft(statement.pharmacy_id, month)
    statement.number = next_number(STATEMENT_SERIES, paris_day(moment).year)
    statement.status, statement.issued_at = StatementStatus.ISSUED, moment
    statement.save()
    _month_usage(statement.pharmacy_id, month).update(statement=statement)
    _audit(actor, AuditAction.BILLING_STATEMENT_ISSUED, statement)
    return statement


@service
def mark_statement_paid(
    actor: Actor, statement_id: int, *, now: dt.datetime | None = None
) -> Statement:
    require(actor, Action.BILLING_MANAGE)
    statement = _locked(statement_id)
    if statement.status != StatementStatus.ISSUED:
        raise BillingError(f"only an issued statement can be paid (this one is {statement.status})")
    statement.status, statement.paid_at = StatementStatus.PAID, now or timezone.now()
    statement.save(update_fields=["status", "paid_at"])
    _audit(actor, AuditAction.BILLING_STATEMENT_PAID, statement)
    return statement


@service
def issue_credit_note(
    actor: Actor,
    statement_id: int,
    reason: str,
    units_by_day: Mapping[dt.date, int] | None = None,
    *,
    now: dt.datetime | None = None,
) -> CreditNote:
    """Credit units of an issued statement (all of them when ``units_by_day`` is None)."""
    require(actor, Action.BILLING_MANAGE)
    statement = _locked(statement_id)
    if statement.status == StatementStatus.DRAFT:
        raise BillingError("a draft is corrected by drawing it up again, not credited")
    if not reason.strip():
        raise BillingError("a credit note states its reason")
    lines = _credit_lines(statement, units_by_day)
    if not lines:
        raise BillingError("nothing to credit")
    moment = now or timezone.now()
    totals = totals_of(lines)
    note = CreditNote.objects.create(
        statement=statement,
        number=next_number(CREDIT_NOTE_SERIES, paris_day(moment).year),
        reason=reason.strip()[:200],
        issued_at=moment,
        units=totals.units,
        total_excl_vat_cents=totals.excl_vat_cents,
        vat_cents=totals.vat_cents,
        total_incl_vat_cents=totals.incl_vat_cents,
    )
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            credit_note=note,
            amount_excl_vat_cents=line.amount_excl_vat_cents,
            day=line.day,
            units=line.units,
            unit_price_cents=line.unit_price_cents,
            vat_rate_bp=line.vat_rate_bp,
        )
        for line in lines
    )
    _audit(actor, AuditAction.BILLING_CREDIT_NOTE_ISSUED, statement, credit_note=note.number)
    return note


def _audit(actor: Actor, action: AuditAction, statement: Statement, **extra: str) -> None:
    record_event(
        action,
        actor=actor,
        pharmacy_id=statement.pharmacy_id,
        object_type="statement",
        object_ids=[statement.pk],
        details={"number": statement.number or "", "units": statement.units, **extra},
    )


def _locked(statement_id: int) -> Statement:
    statement = Statement.objects.select_for_update().filter(pk=statement_id).first()
    if statement is None:
        raise StatementNotFoundError(statement_id)
    return statement


def _month_usage(pharmacy_id: int, month: Month) -> QuerySet[UsageRecord]:
    return UsageRecord.objects.filter(
        pharmacy_id=pharmacy_id,
        billable_on__gte=month.first_day,
        billable_on__lt=month.next().first_day,
        statement__isnull=True,
    )


def _catch_up(pharmacy_id: int, month: Month) -> None:
    """Record the month's settled transmissions the worker has not reached yet."""
    while settled := settled_rows(pending_transmissions(month).filter(pharmacy_id=pharmacy_id)):
        write_usage(settled)


def _draft(pharmacy_id: int, month: Month) -> Statement:
    _catch_up(pharmacy_id, month)
    statement, _created = Statement.objects.get_or_create(
        pharmacy_id=pharmacy_id, year=month.year, month=month.month
    )
    if statement.status != StatementStatus.DRAFT:
        raise AlreadyIssuedError(f"statement {statement.number} is issued")
    lines = ledger_lines(pharmacy_id, month)
    StatementLine.objects.filter(statement=statement).delete()
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            amount_excl_vat_cents=line.amount_excl_vat_cents,
            day=line.day,
            units=line.units,
            unit_price_cents=line.unit_price_cents,
            vat_rate_bp=line.vat_rate_bp,
        )
        for line in lines
    )
    totals = totals_of(lines)
    statement.units = totals.units
    statement.total_excl_vat_cents = totals.excl_vat_cents
    statement.vat_cents = totals.vat_cents
    statement.total_incl_vat_cents = totals.incl_vat_cents
    statement.save()
    return statement


def _credit_lines(statement: Statement, units_by_day: Mapping[dt.date, int] | None) -> list[Line]:
    """Negative lines, each within what the statement billed that day minus earlier credits."""
    if units_by_day is not None and any(units < 0 for units in units_by_day.values()):
        raise BillingError("credit a positive number of units per day")
    credited: dict[tuple[dt.date, int], int] = {}
    for old in CreditNoteLine.objects.filter(credit_note__statement=statement):
        key = (old.day, old.unit_price_cents)
        credited[key] = credited.get(key, 0) - old.units
    wanted = dict(units_by_day) if units_by_day is not None else None
    lines = []
    for line in statement.lines.all():
        left = line.units - credited.get((line.day, line.unit_price_cents), 0)
        take = left if wanted is None else min(left, wanted.get(line.day, 0))
        if wanted is not None:
            wanted[line.day] = wanted.get(line.day, 0) - take
        if take > 0:
            lines.append(Line(line.day, -take, line.unit_price_cents, line.vat_rate_bp))
    if wanted and any(units > 0 for units in wanted.values()):
        raise CreditTooLargeError("more units than billed (and not yet credited) on a day")
    return lines
