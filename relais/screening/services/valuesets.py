"""Import an EU DCC value set (devices, test types, results): idempotent, deactivating."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.screening.valuesets import clear_device_cache
from relais.screening.valuesets_apply import ImportReport, apply_value_set, parse_document


@service
def import_value_set(
    actor: Actor, document: object, *, now: datetime | None = None
) -> ImportReport:
    """Bring the stored value set in line with `document` (platform reference data): all of
    it or, on a malformed document, nothing (`ValueSetFormatError` before any write)."""
    require(actor, Action.PHARMACY_MANAGE)
    value_set, set_date, entries = parse_document(document)
    report = apply_value_set(value_set, set_date, entries, now or timezone.now())
    transaction.on_commit(clear_device_cache)
    clear_device_cache()
    record_event(
        AuditAction.VALUESET_IMPORTED,
        actor=actor,
        object_type="value_set",
        object_ids=[value_set],
        details=report.counts(),
    )
    return report
