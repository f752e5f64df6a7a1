"""The API's own upkeep: forgetting idempotency records and rate counters past their use."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action
from relais.api import idempotency, ratelimit
from relais.api.models import ApiRateCounter
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service


@service
def purge_api_records(actor: Actor, now: datetime | None = None) -> int:
    """Forget idempotency records past their lifetime and rate counters over a day old
    (the worker runs it as the system actor). Returns how many rows were deleted."""
    if actor.kind != "system":
        raise AccessDeniedError(actor, Action.PHARMACY_MANAGE, None)
    moment = now or timezone.now()
    records = idempotency.purge_expired(moment)
    horizon = int(moment.timestamp()) - ratelimit.KEEP_SECONDS
    counters, _ = ApiRateCounter.objects.filter(window_start__lt=horizon).delete()
    record_event(
        AuditAction.DATA_PURGED,
        actor=actor,
        object_type="api_records",
        details={"idempotency_records": records, "rate_counters": counters},
    )
    return records + counters
