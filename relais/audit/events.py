"""Write audit events, in the caller's transaction. Never the personal data itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.utils import timezone

from relais.access.actors import SYSTEM, Actor
from relais.audit.actions import AuditAction
from relais.audit.models import AuditEvent
from relais.core.context import current_request
from relais.core.rows import insert_new
from relais.core.services import note_audit_event

if TYPE_CHECKING:
    from relais.access.errors import AccessDeniedError

DetailValue = str | int | float | bool | None


def record_event(
    action: AuditAction,
    *,
    actor: Actor | None = None,
    pharmacy_id: int | None = None,
    object_type: str = "",
    object_ids: Iterable[object] = (),
    outcome: str = "success",
    details: Mapping[str, DetailValue] | None = None,
) -> AuditEvent:
    (event,) = record_events(
        action,
        [(object_ids, outcome, details or {})],
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type=object_type,
    )
    return event


def record_events(
    action: AuditAction,
    entries: Iterable[tuple[Iterable[object], str, Mapping[str, DetailValue]]],
    *,
    actor: Actor | None = None,
    pharmacy_id: int | None = None,
    object_type: str = "",
) -> list[AuditEvent]:
    """One event per (object_ids, outcome, details) entry, written in one INSERT (COPY for
    a large batch): every request writes at least one, so no queryset is built."""
    who = actor or SYSTEM
    context = current_request()
    now = timezone.now()
    events = [
        AuditEvent(
            occurred_at=now,
            actor_type=who.kind,
            actor_id=who.id,
            pharmacy_id=pharmacy_id,
            action=str(action),
            object_type=object_type,
            object_ids=[str(object_id) for object_id in object_ids],
            request_id=context.request_id if context else "",
            client_ip=context.client_ip if context else "",
            outcome=outcome,
            details=dict(details),
        )
        for object_ids, outcome, details in entries
    ]
    insert_new(events)
    for _event in events:
        note_audit_event()
    return events


def record_refusal(refusal: AccessDeniedError) -> AuditEvent:
    return record_event(
        AuditAction.ACCESS_DENIED,
        actor=refusal.actor,
        pharmacy_id=refusal.pharmacy_id,
        outcome="denied",
        details={"action": str(refusal.action)},
    )
