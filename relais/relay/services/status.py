"""Read services: a screening's transmissions for its pharmacy, relay health for the operator.

The shapes carry no personal data: statuses, attempts, the platform's reference and
reasons. The operator's view is counts and ages only (the operator never sees patients).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, Min
from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.relay import circuit
from relais.relay.destinations import SIDEP
from relais.relay.models import Transmission, TransmissionStatus

# Dedicated actions are requested from the audit owner (see the relay report); until they
# exist, the closest existing ones are used.
TRANSMISSIONS_VIEWED: AuditAction = getattr(
    AuditAction, "TRANSMISSIONS_VIEWED", AuditAction.SCREENING_VIEWED
)
RELAY_HEALTH_VIEWED: AuditAction = getattr(
    AuditAction, "RELAY_HEALTH_VIEWED", AuditAction.AUDIT_VIEWED
)


@dataclass(frozen=True, slots=True)
class TransmissionView:
    id: int
    version_number: int
    status: str
    status_label: str
    attempts: int
    next_attempt_at: datetime | None
    platform_reference: str
    reasons: tuple[str, ...]
    acknowledged_at: datetime | None
    created_at: datetime
    replayable: bool


def _view(row: Transmission) -> TransmissionView:
    status = TransmissionStatus(row.status)
    waiting = status in {TransmissionStatus.QUEUED, TransmissionStatus.RETRYING}
    return TransmissionView(
        id=row.pk,
        version_number=row.version_number,
        status=status.value,
        status_label=str(status.label),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if waiting else None,
        platform_reference=row.platform_reference,
        reasons=tuple(str(reason) for reason in row.reasons or ()),
        acknowledged_at=row.acknowledged_at,
        created_at=row.created_at,
        replayable=status == TransmissionStatus.DEAD,
    )


@service
def transmission_status_for(actor: Actor, screening_id: UUID | str) -> list[TransmissionView]:
    """Every transmission of one screening, version by version (oldest first)."""
    from relais.screening.models import Screening

    found = Screening.objects.filter(pk=screening_id).values_list("pharmacy_id", flat=True)
    owner = found.first()
    require(actor, Action.SCREENING_READ, owner)
    rows = Transmission.objects.filter(screening_id=screening_id, pharmacy_id=owner or 0)
    views = [_view(row) for row in rows.order_by("version_number", "id")]
    record_event(
        TRANSMISSIONS_VIEWED,
        actor=actor,
        pharmacy_id=owner,
        object_type="screening",
        object_ids=[screening_id],
        details={"view": "transmissions"},
    )
    return views


@service
def transmissions_for_pharmacy(
    actor: Actor, pharmacy_id: int, *, statuses: tuple[str, ...] = (), limit: int = 100
) -> list[TransmissionView]:
    """The pharmacy's latest transmissions, e.g. the rejected ones awaiting a correction."""
    require(actor, Action.SCREENING_READ, pharmacy_id)
    rows = Transmission.objects.filter(pharmacy_id=pharmacy_id)
    if statuses:
        rows = rows.filter(status__in=statuses)
    views = [_view(row) for row in rows.order_by("-created_at", "-id")[: max(1, min(limit, 500))]]
    record_event(
        TRANSMISSIONS_VIEWED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="transmission",
        details={"view": "pharmacy_transmissions", "count": len(views)},
    )
    return views


@service
def relay_health(actor: Actor) -> dict[str, Any]:
    """Counts per status, age of the oldest waiting transmission, dead count, circuit."""
    require(actor, Action.RELAY_MONITOR)
    now = timezone.now()
    counts = {status.value: 0 for status in TransmissionStatus}
    for row in Transmission.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    oldest = Transmission.objects.filter(
        status__in=[TransmissionStatus.QUEUED, TransmissionStatus.RETRYING]
    ).aggregate(oldest=Min("created_at"))["oldest"]
    record_event(RELAY_HEALTH_VIEWED, actor=actor, details={"view": "relay_health"})
    return {
        "counts": counts,
        "oldest_waiting_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "dead": counts[TransmissionStatus.DEAD],
        "circuit": circuit.state_of(SIDEP, now),
    }
