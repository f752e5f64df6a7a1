"""Counting a month three ways, independently, so that any disagreement shows.

- expected: settled transmissions in the Transmission table, judged billable by the contract
  of their Paris day (computed here, not read from the ledger);
- ledger: billable units in the usage ledger;
- billed: units on issued statements minus units of their credit notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate

from relais.billing.models import CreditNote, Statement, StatementStatus, UsageRecord
from relais.billing.periods import PARIS, Month
from relais.billing.pricing import ContractBook
from relais.pharmacies.models import Pharmacy
from relais.relay.models import Transmission, TransmissionStatus


@dataclass(frozen=True, slots=True)
class Row:
    pharmacy_id: int
    finess: str
    expected: int
    ledger: int
    billed: int
    statement: str  # number, "brouillon" or ""

    @property
    def ok(self) -> bool:
        return self.expected == self.ledger == self.billed


def _settled(month: Month) -> QuerySet[Transmission]:
    start, end = month.bounds()
    acknowledged = Q(
        status=TransmissionStatus.ACKNOWLEDGED, acknowledged_at__gte=start, acknowledged_at__lt=end
    )
    rejected = Q(status=TransmissionStatus.REJECTED, updated_at__gte=start, updated_at__lt=end)
    return Transmission.objects.filter(acknowledged | rejected)


def expected_units(month: Month) -> dict[int, int]:
    """Billable settled transmissions per pharmacy, grouped in the database by day."""
    settled_at = Case(
        When(status=TransmissionStatus.ACKNOWLEDGED, then=F("acknowledged_at")),
        default=F("updated_at"),
    )
    groups = (
        _settled(month)
        .annotate(day=TruncDate(settled_at, tzinfo=PARIS))
        .values("pharmacy_id", "day", "status", "version_number")
        .annotate(count=Count("pk"))
    )
    book = ContractBook()
    units: dict[int, int] = defaultdict(int)
    for group in groups:
        terms = book.terms_on(group["pharmacy_id"], group["day"])
        billable = terms.units_for(group["status"], group["version_number"])
        units[group["pharmacy_id"]] += billable * group["count"]
    return units


def ledger_units(month: Month) -> dict[int, int]:
    rows = (
        UsageRecord.objects.filter(
            billable_on__gte=month.first_day, billable_on__lt=month.next().first_day
        )
        .values("pharmacy_id")
        .annotate(units=Sum("units"))
    )
    return {row["pharmacy_id"]: row["units"] or 0 for row in rows}


def billed_units(month: Month) -> tuple[dict[int, int], dict[int, str]]:
    statements = Statement.objects.filter(year=month.year, month=month.month)
    billed: dict[int, int] = defaultdict(int)
    labels: dict[int, str] = {}
    for statement in statements:
        issued = statement.status != StatementStatus.DRAFT
        labels[statement.pharmacy_id] = statement.number or "brouillon"
        if issued:
            billed[statement.pharmacy_id] += statement.units
    credits = (
        CreditNote.objects.filter(statement__in=statements)
        .values("statement__pharmacy_id")
        .annotate(units=Sum("units"))
    )
    for credit in credits:
        billed[credit["statement__pharmacy_id"]] += credit["units"] or 0  # negative
    return billed, labels


def reconcile(month: Month) -> list[Row]:
    expected, ledger = expected_units(month), ledger_units(month)
    billed, labels = billed_units(month)
    ids = set(expected) | set(ledger) | set(billed) | set(labels)
    finess = dict(Pharmacy.objects.filter(pk__in=ids).values_list("pk", "finess"))
    return [
        Row(
            pid,
            finess[pid],
            expected.get(pid, 0),
            ledger.get(pid, 0),
            billed.get(pid, 0),
            labels.get(pid, ""),
        )
        for pid in sorted(ids, key=lambda pid: finess[pid])
    ]
