"""Contracts: a new price applies from its day, to usage not yet on an issued statement."""

from __future__ import annotations

import datetime as dt

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.billing.errors import BillingError
from relais.billing.models import Contract, UsageRecord
from relais.billing.money import BASIS_POINTS, DEFAULT_UNIT_PRICE_CENTS, DEFAULT_VAT_RATE_BP
from relais.billing.pricing import ContractBook
from relais.core.services import service


@service
def set_contract(
    actor: Actor,
    pharmacy_id: int,
    effective_from: dt.date,
    *,
    unit_price_cents: int = DEFAULT_UNIT_PRICE_CENTS,
    vat_rate_bp: int = DEFAULT_VAT_RATE_BP,
    bill_later_versions: bool = False,
    bill_rejected: bool = False,
) -> Contract:
    """Set the terms in force from ``effective_from`` (a Paris day) on; re-price the ledger."""
    require(actor, Action.BILLING_MANAGE)
    if unit_price_cents < 0 or not 0 <= vat_rate_bp <= BASIS_POINTS:
        raise BillingError("a price is ≥ 0 cents and a VAT rate between 0 and 10000 bp")
    contract, _created = Contract.objects.update_or_create(
        pharmacy_id=pharmacy_id,
        effective_from=effective_from,
        defaults={
            "unit_price_cents": unit_price_cents,
            "vat_rate_bp": vat_rate_bp,
            "bill_later_versions": bill_later_versions,
            "bill_rejected": bill_rejected,
        },
    )
    repriced = _reprice_unbilled(pharmacy_id, effective_from)
    record_event(
        AuditAction.BILLING_CONTRACT_SET,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="contract",
        object_ids=[contract.pk],
        details={
            "effective_from": effective_from.isoformat(),
            "unit_price_cents": unit_price_cents,
            "vat_rate_bp": vat_rate_bp,
            "bill_later_versions": bill_later_versions,
            "bill_rejected": bill_rejected,
            "repriced_usage": repriced,
        },
    )
    return contract


def _reprice_unbilled(pharmacy_id: int, since: dt.date) -> int:
    """Ledger rows from ``since`` not yet on an issued statement take the terms of their day."""
    book = ContractBook({pharmacy_id})
    rows = UsageRecord.objects.filter(
        pharmacy_id=pharmacy_id, billable_on__gte=since, statement__isnull=True
    ).select_for_update()
    changed = []
    for row in rows:
        terms = book.terms_on(pharmacy_id, row.billable_on)
        row.units = terms.units_for(row.outcome, row.version_number)
        row.unit_price_cents = terms.unit_price_cents
        row.vat_rate_bp = terms.vat_rate_bp
        row.contract_id = terms.contract_id
        changed.append(row)
    UsageRecord.objects.bulk_update(
        changed, ["units", "unit_price_cents", "vat_rate_bp", "contract"], batch_size=1000
    )
    return len(changed)
