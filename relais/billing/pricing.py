"""Which contract is in force on a day, and whether a settled transmission is billable."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from relais.billing.models import Contract, Outcome
from relais.billing.money import DEFAULT_UNIT_PRICE_CENTS, DEFAULT_VAT_RATE_BP


@dataclass(frozen=True, slots=True)
class Terms:
    """A contract's terms; ``contract_id`` None means the default terms (no contract yet)."""

    contract_id: int | None = None
    unit_price_cents: int = DEFAULT_UNIT_PRICE_CENTS
    vat_rate_bp: int = DEFAULT_VAT_RATE_BP
    bill_later_versions: bool = False
    bill_rejected: bool = False

    def units_for(self, outcome: str, version_number: int) -> int:
        """1 for a billable unit: by default an acknowledged creation (version 1) only."""
        if outcome == Outcome.REJECTED and not self.bill_rejected:
            return 0
        if version_number > 1 and not self.bill_later_versions:
            return 0
        return 1


DEFAULT_TERMS = Terms()


def terms_of(contract: Contract) -> Terms:
    return Terms(
        contract_id=contract.pk,
        unit_price_cents=contract.unit_price_cents,
        vat_rate_bp=contract.vat_rate_bp,
        bill_later_versions=contract.bill_later_versions,
        bill_rejected=contract.bill_rejected,
    )


class ContractBook:
    """Every pharmacy's contracts, loaded once, answering "terms on that day" in O(log n)."""

    def __init__(self, pharmacy_ids: set[int] | None = None) -> None:
        rows = Contract.objects.order_by("pharmacy_id", "effective_from")
        if pharmacy_ids is not None:
            rows = rows.filter(pharmacy_id__in=pharmacy_ids)
        self._days: dict[int, list[dt.date]] = {}
        self._terms: dict[int, list[Terms]] = {}
        for contract in rows:
            self._days.setdefault(contract.pharmacy_id, []).append(contract.effective_from)
            self._terms.setdefault(contract.pharmacy_id, []).append(terms_of(contract))

    def terms_on(self, pharmacy_id: int, day: dt.date) -> Terms:
        days = self._days.get(pharmacy_id, [])
        index = bisect_right(days, day)
        return self._terms[pharmacy_id][index - 1] if index else DEFAULT_TERMS
