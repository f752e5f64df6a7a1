"""What a statement or credit note says, as plain data for screens, CSV and PDF.

Lines come from the ledger (billable units per Paris day and price); totals are computed
here once: VAT per rate on the total excluding VAT, rounded half up (see ``money``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from relais.billing.models import CreditNote, Statement, UsageRecord
from relais.billing.money import vat_cents
from relais.billing.periods import Month


@dataclass(frozen=True, slots=True)
class Line:
    day: dt.date
    units: int
    unit_price_cents: int
    vat_rate_bp: int

    @property
    def amount_excl_vat_cents(self) -> int:
        return self.units * self.unit_price_cents


@dataclass(frozen=True, slots=True)
class VatLine:
    rate_bp: int
    base_cents: int
    vat_cents: int


@dataclass(frozen=True, slots=True)
class Totals:
    units: int
    excl_vat_cents: int
    vat_cents: int
    incl_vat_cents: int
    by_rate: tuple[VatLine, ...] = ()


def totals_of(lines: list[Line]) -> Totals:
    bases: dict[int, int] = defaultdict(int)
    for line in lines:
        bases[line.vat_rate_bp] += line.amount_excl_vat_cents
    by_rate = tuple(
        VatLine(rate, base, vat_cents(base, rate)) for rate, base in sorted(bases.items())
    )
    excl = sum(v.base_cents for v in by_rate)
    vat = sum(v.vat_cents for v in by_rate)
    return Totals(sum(line.units for line in lines), excl, vat, excl + vat, by_rate)


@dataclass(frozen=True, slots=True)
class Document:
    """A statement (kind "statement") or a credit note ("credit_note"), ready to render."""

    kind: str
    number: str  # "" for a draft
    status: str
    pharmacy_name: str
    finess: str
    month: Month
    lines: list[Line]
    totals: Totals
    issued_at: dt.datetime | None = None
    refers_to: str = ""  # a credit note's statement number
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def ledger_lines(pharmacy_id: int, month: Month) -> list[Line]:
    """Billable units of the month from the ledger, one line per day and price."""
    rows = (
        UsageRecord.objects.filter(
            pharmacy_id=pharmacy_id,
            billable_on__gte=month.first_day,
            billable_on__lt=month.next().first_day,
            units=1,
        )
        .values("billable_on", "unit_price_cents", "vat_rate_bp")
        .annotate(units=Count("pk"))
        .order_by("billable_on", "unit_price_cents", "vat_rate_bp")
    )
    return [
        Line(row["billable_on"], row["units"], row["unit_price_cents"], row["vat_rate_bp"])
        for row in rows
    ]


def statement_document(statement: Statement) -> Document:
    lines = [
        Line(line.day, line.units, line.unit_price_cents, line.vat_rate_bp)
        for line in statement.lines.all()
    ]
    return Document(
        kind="statement",
        number=statement.number or "",
        status=statement.status,
        pharmacy_name=statement.pharmacy.name,
        finess=statement.pharmacy.finess,
        month=Month(statement.year, statement.month),
        lines=lines,
        totals=totals_of(lines),
        issued_at=statement.issued_at,
    )


def credit_note_document(note: CreditNote) -> Document:
    lines = [
        Line(line.day, line.units, line.unit_price_cents, line.vat_rate_bp)
        for line in note.lines.all()
    ]
    statement = note.statement
    return Document(
        kind="credit_note",
        number=note.number,
        status="issued",
        pharmacy_name=statement.pharmacy.name,
        finess=statement.pharmacy.finess,
        month=Month(statement.year, statement.month),
        lines=lines,
        totals=totals_of(lines),
        issued_at=note.issued_at,
        refers_to=statement.number or "",
        reason=note.reason,
    )
