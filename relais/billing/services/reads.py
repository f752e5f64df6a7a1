"""Reading statements: owners see their own pharmacy's issued ones; the operator sees all.

Another pharmacy's statement, or a draft asked for by an owner, is "not found" — the same
answer as a statement that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from relais.access.actors import Actor
from relais.access.policy import Action, can, pharmacies_for, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.billing.documents import Document, credit_note_document, statement_document
from relais.billing.errors import StatementNotFoundError
from relais.billing.models import CreditNote, Statement, StatementStatus
from relais.billing.periods import Month
from relais.billing.rendering import render_csv, render_pdf
from relais.core.services import service
from relais.pharmacies.models import Pharmacy

ISSUED = (StatementStatus.ISSUED, StatementStatus.PAID)
FORMATS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True, slots=True)
class StatementFile:
    filename: str
    content_type: str
    content: bytes


def _visible(actor: Actor) -> QuerySet[Statement]:
    rows = Statement.objects.select_related("pharmacy")
    if can(actor, Action.BILLING_MANAGE):
        return rows
    return rows.filter(
        pharmacy_id__in=pharmacies_for(actor, Action.BILLING_READ), status__in=ISSUED
    )


def _statement(actor: Actor, statement_id: int) -> Statement:
    statement = _visible(actor).filter(pk=statement_id).first()
    if statement is None:
        raise StatementNotFoundError(statement_id)
    return statement


@service
def list_statements(actor: Actor) -> list[Statement]:
    """The statements this actor may see, newest month first."""
    if not can(actor, Action.BILLING_MANAGE):
        # An owner of at least one pharmacy; anyone else is refused (and the refusal audited).
        owned = pharmacies_for(actor, Action.BILLING_READ)
        require(actor, Action.BILLING_READ, owned[0] if owned else None)
    rows = list(_visible(actor).order_by("-year", "-month", "pharmacy__name"))
    record_event(
        AuditAction.BILLING_VIEWED,
        actor=actor,
        object_type="statement",
        object_ids=[row.pk for row in rows[:50]],
        details={"count": len(rows)},
    )
    return rows


@service
def get_statement(actor: Actor, statement_id: int) -> tuple[Statement, Document, list[Document]]:
    """A statement, its document and its credit notes' documents."""
    statement = _statement(actor, statement_id)
    notes = [credit_note_document(note) for note in _notes(statement)]
    record_event(
        AuditAction.BILLING_VIEWED,
        actor=actor,
        pharmacy_id=statement.pharmacy_id,
        object_type="statement",
        object_ids=[statement.pk],
    )
    return statement, statement_document(statement), notes


@service
def statement_file(actor: Actor, statement_id: int, file_format: str) -> StatementFile:
    """The statement (and its credit notes) as CSV or PDF bytes, built in memory."""
    statement = _statement(actor, statement_id)
    return _file(actor, statement, file_format)


@service
def month_statement_file(
    actor: Actor, finess: str, month: Month, file_format: str
) -> StatementFile:
    """For the command line: the month's statement, issued or (if none) a fresh draft."""
    from relais.billing.services.statements import prepare_statement

    require(actor, Action.BILLING_MANAGE)
    pharmacy = Pharmacy.objects.filter(finess=finess).first()
    if pharmacy is None:
        raise StatementNotFoundError(finess)
    statement = Statement.objects.filter(
        pharmacy=pharmacy, year=month.year, month=month.month
    ).first()
    if statement is None or statement.status == StatementStatus.DRAFT:
        statement = prepare_statement(actor, pharmacy.pk, month)
    return _file(actor, statement, file_format)


def _notes(statement: Statement) -> QuerySet[CreditNote]:
    return statement.credit_notes.select_related("statement__pharmacy").order_by("number")


def _file(actor: Actor, statement: Statement, file_format: str) -> StatementFile:
    if file_format not in FORMATS:
        raise ValueError(f"format is csv or pdf, not {file_format!r}")
    document = statement_document(statement)
    notes = [credit_note_document(note) for note in _notes(statement)]
    render = render_csv if file_format == "csv" else render_pdf
    content = render(document, notes)
    name = document.number or f"brouillon-{document.finess}-{document.month}"
    record_event(
        AuditAction.BILLING_STATEMENT_DOWNLOADED,
        actor=actor,
        pharmacy_id=statement.pharmacy_id,
        object_type="statement",
        object_ids=[statement.pk],
        details={"format": file_format},
    )
    return StatementFile(f"{name}.{file_format}", FORMATS[file_format], content)
