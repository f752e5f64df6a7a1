"""Replaying a dead transmission: back to the queue under the SAME message id.

Keeping the message id is what makes a replay safe: if the platform did store an earlier
attempt (a drop after store), it recognises the id and acknowledges again instead of
recording the screening twice.
"""

from __future__ import annotations

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.relay.models import Transmission, TransmissionStatus


class NotReplayableError(ValueError):
    """Only a dead transmission can be replayed (a rejected one waits for a correction)."""


class TransmissionNotFoundError(LookupError):
    """No such transmission."""


@service
def replay_transmission(actor: Actor, transmission_id: int) -> Transmission:
    row = Transmission.objects.select_for_update().filter(pk=transmission_id).first()
    if row is None:
        raise TransmissionNotFoundError(transmission_id)
    require(actor, Action.TRANSMISSION_REPLAY, row.pharmacy_id)
    if row.status != TransmissionStatus.DEAD:
        raise NotReplayableError(f"transmission {row.pk} is {row.status}, not dead")
    now = timezone.now()
    row.status = TransmissionStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = now
    row.lease_owner, row.lease_expires_at, row.updated_at = "", None, now
    row.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "lease_owner",
            "lease_expires_at",
            "updated_at",
        ]
    )
    record_event(
        AuditAction.TRANSMISSION_REPLAYED,
        actor=actor,
        pharmacy_id=row.pharmacy_id,
        object_type="transmission",
        object_ids=[row.pk],
        details={"previous_error": row.last_error[:100]},
    )
    return row
