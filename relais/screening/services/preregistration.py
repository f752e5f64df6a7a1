"""Pre-registration: the patient leaves their identity, staff pick it up by code.

`create_preregistration` is the one service an anonymous visitor reaches: there is no
permission to check, so it checks what stands for one — a known link of an active pharmacy
— and the view in front of it is rate-limited. It shows nothing back but the new code.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.screening import recording as r
from relais.screening.codes import new_code, normalize_code
from relais.screening.errors import PreRegistrationClosedError, PreRegistrationNotFoundError
from relais.screening.links import pharmacy_for_slug
from relais.screening.models import PreRegistration, PreRegistrationLink
from relais.screening.patients import patient_to_body
from relais.screening.ratelimit import forget_old_counters
from relais.screening.readmodels import RecordOutcome
from relais.screening.services.records import record_screening
from relais.screening.validation import CleanPatient, validate_patient
from relais.vault.blind import blind_index

LIFETIME = timedelta(hours=48)
CODE_INDEX = "preregistration_code"


@dataclass(frozen=True, slots=True, repr=False)
class IssuedCode:
    code: str
    expires_at: datetime

    def __repr__(self) -> str:
        return "IssuedCode(<code hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class PickedUp:
    preregistration_id: str
    patient: CleanPatient
    expires_at: datetime

    def __repr__(self) -> str:
        return f"PickedUp({self.preregistration_id})"


@service
def preregistration_link(actor: Actor, pharmacy_id: int) -> str:
    """The pharmacy's public slug, created on first request (for its poster and link)."""
    require(actor, Action.PREREGISTRATION_PICKUP, pharmacy_id)
    link = PreRegistrationLink.objects.filter(pharmacy_id=pharmacy_id).first()
    if link is None:
        link = PreRegistrationLink.objects.create(
            pharmacy_id=pharmacy_id, slug=secrets.token_urlsafe(16)
        )
    record_event(
        AuditAction.PREREGISTRATION_LINK_SHOWN,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="preregistration_link",
        object_ids=[link.pk],
    )
    return link.slug


@service
def create_preregistration(
    actor: Actor, slug: str, data: Mapping[str, Any], *, now: datetime | None = None
) -> IssuedCode:
    """Validate the patient's identity (every field) and issue a 48-hour code."""
    pharmacy_id = pharmacy_for_slug(slug)
    if pharmacy_id is None:
        raise PreRegistrationClosedError("unknown or closed pre-registration link")
    moment = now or timezone.now()
    patient, _warnings = validate_patient(data, today=moment.date())
    for _attempt in range(3):  # a 40-bit collision within one pharmacy is a curiosity
        code = new_code()
        created = r.in_savepoint(functools.partial(_store, pharmacy_id, code, patient, moment))
        if created is not None:
            record_event(
                AuditAction.PREREGISTRATION_CREATED,
                actor=actor,
                pharmacy_id=pharmacy_id,
                object_type="preregistration",
                object_ids=[created.pk],
            )
            return IssuedCode(code, created.expires_at)
    raise RuntimeError("no free pre-registration code after three draws")


def _store(pharmacy_id: int, code: str, patient: CleanPatient, moment: datetime) -> PreRegistration:
    return PreRegistration.objects.create(
        pharmacy_id=pharmacy_id,
        code_index=_code_index(pharmacy_id, code),
        identity=patient_to_body(patient),
        created_at=moment,
        expires_at=moment + LIFETIME,
    )


def _code_index(pharmacy_id: int, code: str) -> bytes:
    return blind_index(pharmacy_id, CODE_INDEX, code)


def _live(actor: Actor, pharmacy_id: int, raw_code: object, moment: datetime) -> PreRegistration:
    code = normalize_code(raw_code)
    found = None
    if code is not None:
        found = PreRegistration.objects.filter(
            pharmacy_id=pharmacy_id,
            code_index=_code_index(pharmacy_id, code),
            expires_at__gt=moment,
        ).first()
    if found is None:
        raise PreRegistrationNotFoundError(actor, Action.PREREGISTRATION_PICKUP, pharmacy_id)
    return found


@service
def pickup_preregistration(
    actor: Actor, pharmacy_id: int, code: str, *, now: datetime | None = None
) -> PickedUp:
    """The identity behind `code` in this pharmacy; a wrong, expired or foreign code is
    "not found" (and audited as a refusal)."""
    require(actor, Action.PREREGISTRATION_PICKUP, pharmacy_id)
    moment = now or timezone.now()
    found = _live(actor, pharmacy_id, code, moment)
    patient, _warnings = validate_patient(found.identity, today=moment.date())
    record_event(
        AuditAction.PREREGISTRATION_PICKED_UP,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="preregistration",
        object_ids=[found.pk],
    )
    return PickedUp(str(found.pk), patient, found.expires_at)


@service
def record_from_preregistration(
    actor: Actor,
    pharmacy_id: int,
    code: str,
    test_data: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> RecordOutcome:
    """Record a screening with the pre-registered identity and staff's test fields; the
    pre-registration is deleted in the same transaction (used once)."""
    moment = now or timezone.now()
    picked = pickup_preregistration(actor, pharmacy_id, code, now=moment)
    body = {k: v for k, v in test_data.items() if k != "patient"}
    body["patient"] = patient_to_body(picked.patient)
    outcome = record_screening(actor, pharmacy_id, body, now=moment)
    PreRegistration.objects.filter(pk=picked.preregistration_id).delete()
    return outcome


@service
def purge_expired_preregistrations(actor: Actor, now: datetime) -> int:
    """Delete every pre-registration past its 48 hours (and old rate counters); the worker
    runs it as the system actor. Returns how many pre-registrations were deleted."""
    if actor.kind != "system":
        raise AccessDeniedError(actor, Action.PHARMACY_MANAGE, None)
    deleted, _ = PreRegistration.objects.filter(expires_at__lte=now).delete()
    counters = forget_old_counters(now)
    record_event(
        AuditAction.DATA_PURGED,
        actor=actor,
        object_type="preregistration",
        details={"preregistrations": deleted, "rate_counters": counters},
    )
    return deleted
