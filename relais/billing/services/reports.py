"""The operator's views over every pharmacy: volumes, revenue, reconciliation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Sum

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.billing.models import Statement, UsageRecord
from relais.billing.periods import Month
from relais.billing.reconciliation import Row, reconcile
from relais.core.services import service
from relais.pharmacies.models import Pharmacy


@dataclass(frozen=True, slots=True)
class Volume:
    pharmacy: Pharmacy
    units: int
    revenue_excl_vat_cents: int
    statement: Statement | None


@service
def month_overview(actor: Actor, month: Month) -> list[Volume]:
    """Per pharmacy: the month's billable units and revenue (ledger) and its statement."""
    require(actor, Action.BILLING_MANAGE)
    usage = (
        UsageRecord.objects.filter(
            billable_on__gte=month.first_day, billable_on__lt=month.next().first_day, units=1
        )
        .values("pharmacy_id")
        .annotate(billed=Sum("units"), revenue=Sum(F("units") * F("unit_price_cents")))
    )
    by_pharmacy: dict[int, tuple[int, int]] = {
        row["pharmacy_id"]: (row["billed"] or 0, row["revenue"] or 0) for row in usage
    }
    statements = {
        s.pharmacy_id: s for s in Statement.objects.filter(year=month.year, month=month.month)
    }
    volumes = [
        Volume(
            pharmacy,
            *by_pharmacy.get(pharmacy.pk, (0, 0)),
            statements.get(pharmacy.pk),
        )
        for pharmacy in Pharmacy.objects.order_by("name")
    ]
    record_event(
        AuditAction.BILLING_VIEWED, actor=actor, object_type="month", details={"month": str(month)}
    )
    return volumes


@service
def reconcile_month(actor: Actor, month: Month) -> list[Row]:
    require(actor, Action.BILLING_MANAGE)
    rows = reconcile(month)
    mismatches = [row.finess for row in rows if not row.ok]
    record_event(
        AuditAction.BILLING_RECONCILED,
        actor=actor,
        object_type="month",
        outcome="success" if not mismatches else "mismatch",
        details={"month": str(month), "pharmacies": len(rows), "mismatches": len(mismatches)},
    )
    return rows
