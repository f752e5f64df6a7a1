"""Audited reads: one screening (decrypted), a page of screenings, a patient search."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from django.db.models import Q, QuerySet

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import ValidationErrors
from relais.core.services import service
from relais.screening import recording as r
from relais.screening.kinds import Status
from relais.screening.models import Patient, Screening
from relais.screening.patients import email_index, nir_index
from relais.screening.readmodels import (
    PatientView,
    ScreeningPage,
    ScreeningView,
    patient_view,
    screening_view,
    summary,
)
from relais.screening.validation import normalize_email, normalize_nir

MAX_PAGE = 200


@service
def get_screening(actor: Actor, screening_id: object) -> ScreeningView:
    """The screening with its patient and every version; another pharmacy's id is "not found"."""
    screening = r.load_screening(actor, screening_id, Action.SCREENING_READ)
    view = screening_view(screening)
    record_event(
        AuditAction.SCREENING_VIEWED,
        actor=actor,
        pharmacy_id=screening.pharmacy_id,
        object_type="screening",
        object_ids=[screening.pk],
        details={"patient_id": str(screening.patient_id)},
    )
    return view


@service
def list_screenings(
    actor: Actor,
    pharmacy_id: int,
    *,
    recorded_from: datetime | None = None,
    recorded_to: datetime | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> ScreeningPage:
    """Newest first, by recording time (`recorded_from` ≤ t < `recorded_to`); no personal data.

    The cursor is opaque to callers (the last row's time and id); the ids shown are audited.
    """
    require(actor, Action.SCREENING_READ, pharmacy_id)
    if status is not None and status not in Status.values:
        raise ValidationErrors.single("status", "status.invalid")
    rows = _filtered(pharmacy_id, recorded_from, recorded_to, status, cursor)
    size = max(1, min(limit, MAX_PAGE))
    page = list(rows.order_by("-created_at", "-id")[: size + 1])
    more = len(page) > size
    page = page[:size]
    record_event(
        AuditAction.SCREENINGS_LISTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
        object_ids=[s.pk for s in page],
    )
    next_cursor = _encode_cursor(page[-1]) if more and page else None
    return ScreeningPage(tuple(summary(s) for s in page), next_cursor)


def _filtered(
    pharmacy_id: int,
    recorded_from: datetime | None,
    recorded_to: datetime | None,
    status: str | None,
    cursor: str | None,
) -> QuerySet[Screening]:
    rows = Screening.objects.filter(pharmacy_id=pharmacy_id)
    if recorded_from is not None:
        rows = rows.filter(created_at__gte=recorded_from)
    if recorded_to is not None:
        rows = rows.filter(created_at__lt=recorded_to)
    if status is not None:
        rows = rows.filter(status=status)
    if cursor:
        moment, last_id = _decode_cursor(cursor)
        rows = rows.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=last_id))
    return rows


def _encode_cursor(screening: Screening) -> str:
    text = f"{screening.created_at.isoformat()}|{screening.pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, _, last_id = base64.urlsafe_b64decode(padded).decode().partition("|")
        return datetime.fromisoformat(moment), uuid.UUID(last_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationErrors.single("cursor", "cursor.invalid") from None


@service
def find_patient(
    actor: Actor, pharmacy_id: int, *, nir: str | None = None, email: str | None = None
) -> list[PatientView]:
    """The pharmacy's patients with this NIR or e-mail (several may share an e-mail)."""
    require(actor, Action.SCREENING_READ, pharmacy_id)
    scope = Patient.objects.filter(pharmacy_id=pharmacy_id)
    found: list[Patient] = []
    if nir:
        found += scope.filter(nir_index=nir_index(pharmacy_id, normalize_nir(nir)))
    if email:
        normal = normalize_email(email)
        found += [p for p in scope.filter(email_index=email_index(pharmacy_id, normal))]
    unique = list({p.pk: p for p in found}.values())
    record_event(
        AuditAction.PATIENT_FOUND,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=[p.pk for p in unique],
        details={"by_nir": bool(nir), "by_email": bool(email)},
    )
    return [patient_view(p) for p in unique]
