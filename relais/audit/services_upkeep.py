"""Upkeep of the audit log: retention purge and canary (decoy) records.

The purge deletes events past retention under an ``AuditPurgePermit`` (the only way past
the append-only triggers), keeps their seal rows and leaf hashes so every checkpoint signed
before still verifies, and records what it did — count and highest purged position — in an
event that is itself sealed: the verifier accepts missing events only within that.
"""

from __future__ import annotations

import datetime as dt
import secrets

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent, AuditPurgePermit, AuditSeal, CanaryRecord
from relais.core.services import service

PURGE_CHUNK = 2000


def _require_system(actor: Actor) -> None:
    """Only processes started from the operator's shell (worker, CLI) may purge the log."""
    if actor.kind != "system":
        raise AccessDeniedError(actor, Action.AUDIT_READ, None)


@service
def purge_audit_events(actor: Actor, older_than: dt.datetime) -> int:
    """Delete sealed events that occurred before ``older_than``; return how many."""
    _require_system(actor)
    old = AuditEvent.objects.filter(occurred_at__lt=older_than).values("id")
    seals = list(
        AuditSeal.objects.filter(purged=False, event_id__in=old)
        .order_by("position")
        .values_list("position", "event_id")
    )
    permit = AuditPurgePermit.objects.create()
    for start in range(0, len(seals), PURGE_CHUNK):
        chunk = seals[start : start + PURGE_CHUNK]
        AuditEvent.objects.filter(id__in=[event_id for _, event_id in chunk]).delete()
        AuditSeal.objects.filter(position__in=[position for position, _ in chunk]).update(
            purged=True
        )
    permit.delete()
    record_event(
        AuditAction.AUDIT_PURGED,
        actor=actor,
        object_type="audit_event",
        details={
            "before": older_than.isoformat(),
            "count": len(seals),
            "through_position": seals[-1][0] if seals else -1,
        },
    )
    return len(seals)


@service
def register_canary(actor: Actor, *, pharmacy_id: int, object_type: str, object_id: str) -> None:
    """Mark an existing record as a decoy. The event names no id: the log is read by people."""
    require(actor, Action.PHARMACY_MANAGE)
    CanaryRecord.objects.get_or_create(
        object_type=object_type, object_id=str(object_id), defaults={"pharmacy_id": pharmacy_id}
    )
    record_event(AuditAction.CANARY_REGISTERED, actor=actor, pharmacy_id=pharmacy_id)


# A decoy identity: plausible, clearly fictitious to whoever holds the canary table.
_DECOY = {"last_name": "MARCHAND", "first_names": ["Lucie"], "sex": "F"}


@service
def plant_canary_patient(actor: Actor, *, pharmacy_id: int) -> str:
    """Create a decoy patient in a pharmacy (no screening: no list ever shows it)."""
    require(actor, Action.PHARMACY_MANAGE)
    from relais.screening.models import Patient
    from relais.screening.patients import IDENTITY_INDEX
    from relais.screening.validation import blind_index_normal_identity
    from relais.vault.blind import blind_index

    birth = dt.date(
        1961 + secrets.randbelow(40), 1 + secrets.randbelow(12), 1 + secrets.randbelow(28)
    )
    patient = Patient(pharmacy_id=pharmacy_id, birth_date=birth, **_DECOY)
    identity = blind_index_normal_identity(str(_DECOY["last_name"]), birth)
    patient.identity_index = blind_index(pharmacy_id, IDENTITY_INDEX, identity)
    patient.save()
    CanaryRecord.objects.create(
        pharmacy_id=pharmacy_id, object_type="patient", object_id=str(patient.pk)
    )
    record_event(AuditAction.CANARY_REGISTERED, actor=actor, pharmacy_id=pharmacy_id)
    return str(patient.pk)
