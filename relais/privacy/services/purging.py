"""Purge batches (system only) and the contractual retention of a pharmacy (operator)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import ValidationErrors
from relais.core.services import service
from relais.privacy import bounds, selection
from relais.privacy.forgetting import Forgotten, clear_orphaned, forget_screenings
from relais.privacy.models import RetentionContract
from relais.privacy.system import require_system


@service
def purge_screenings(
    actor: Actor,
    pharmacy_id: int,
    screening_ids: Sequence[object],
    retention_class: str,
    now: datetime,
) -> Forgotten:
    """Forget the personal data of these screenings, those still due at ``now`` (re-checked
    under lock, so two workers never purge a screening a correction just revived)."""
    require_system(actor)
    rows = list(
        selection.due(now, retention_class)
        .filter(pharmacy_id=pharmacy_id, pk__in=list(screening_ids))
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    forgotten = forget_screenings(rows)
    record_event(
        AuditAction.DATA_PURGED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
        object_ids=[row.pk for row in rows],
        details={
            "class": retention_class,
            "screenings": forgotten.screenings,
            "versions": forgotten.versions,
            "patients": forgotten.patients,
            "at": now.isoformat(),
        },
    )
    return forgotten


@service
def clear_orphaned_patients(actor: Actor, pharmacy_id: int, patient_ids: Sequence[object]) -> int:
    """Clear patients left identified although none of their screenings holds data."""
    require_system(actor)
    cleared = clear_orphaned(patient_ids)
    record_event(
        AuditAction.DATA_PURGED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=patient_ids if cleared else [],
        details={"class": "orphaned_patient", "patients": cleared},
    )
    return cleared


@service
def set_retention_contract(actor: Actor, pharmacy_id: int, screening_days: int) -> None:
    """The operator records a pharmacy's contractual retention, within the legal bounds."""
    require(actor, Action.PHARMACY_MANAGE)
    try:
        bounds.SCREENING_DAYS.check(screening_days, "screening_days")
    except ValueError:
        raise ValidationErrors.single(
            "screening_days",
            "retention.out_of_bounds",
            minimum=bounds.SCREENING_DAYS.minimum,
            maximum=bounds.SCREENING_DAYS.maximum,
        ) from None
    RetentionContract.objects.update_or_create(
        pharmacy_id=pharmacy_id,
        defaults={"screening_days": screening_days, "updated_at": timezone.now()},
    )
    record_event(
        AuditAction.RETENTION_CONTRACT_SET,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="pharmacy",
        object_ids=[pharmacy_id],
        details={"screening_days": screening_days},
    )
