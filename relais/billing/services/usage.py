"""Writing the usage ledger (the worker's job, and before a statement is drawn up)."""

from __future__ import annotations

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.billing.ledger import pending_transmissions, settled_rows, write_usage
from relais.billing.periods import Month
from relais.core.services import service

MAX_BATCHES = 100


@service
def record_usage(
    actor: Actor,
    month: Month | None = None,
    pharmacy_id: int | None = None,
    *,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Record settled transmissions not in the ledger yet; returns how many were examined.

    `max_batches` bounds one call (batches of `ledger.BATCH_SIZE`): the worker's job takes
    one batch per run so that billing never holds the relay loop for long."""
    require(actor, Action.BILLING_MANAGE)
    examined = 0
    for _batch in range(max_batches):
        rows = pending_transmissions(month)
        if pharmacy_id is not None:
            rows = rows.filter(pharmacy_id=pharmacy_id)
        settled = settled_rows(rows)
        if not settled:
            break
        examined += write_usage(settled)
    record_event(
        AuditAction.BILLING_USAGE_RECORDED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="usage",
        details={"examined": examined, "month": str(month) if month else ""},
    )
    return examined
