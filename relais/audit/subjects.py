"""From audit events to the persons they concern, and from a NIR or e-mail to a patient.

Events carry ids only. A person is a ``Patient`` row (one per pharmacy: each pharmacy is
the controller of its own patients). Object ids of other types are mapped to their patient
where the screening app says how; an id that cannot be mapped counts as its own person, so
breach counts err on the side of *more* people affected, never fewer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from relais.audit.actions import AuditAction

# Actions that read personal data (bulk-read alerts count these).
READ_ACTIONS = frozenset(
    str(action)
    for action in (
        AuditAction.SCREENING_VIEWED,
        AuditAction.SCREENINGS_LISTED,
        AuditAction.SCREENINGS_EXPORTED,
        AuditAction.RECEIPT_ISSUED,
        AuditAction.PATIENT_FOUND,
        AuditAction.PREREGISTRATION_PICKED_UP,
    )
)
# Actions that read *or change* personal data: what a breach report counts as "accessed".
ACCESS_ACTIONS = READ_ACTIONS | frozenset(
    str(action)
    for action in (
        AuditAction.SCREENING_RECORDED,
        AuditAction.SCREENING_CORRECTED,
        AuditAction.SCREENING_CANCELLED,
        AuditAction.PREREGISTRATION_CREATED,
    )
)
# Data categories exposed by an access to an object of each type (GDPR art. 33(3)(a)).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "patient": ("identity", "nir", "contact"),
    "screening": ("identity", "nir", "contact", "health"),
    "preregistration": ("identity", "nir", "contact"),
}
UNKNOWN_CATEGORIES = ("identity",)

PersonKey = str  # "patient:<uuid>" or "<object type>:<id>" when no patient is known


def categories_for(object_type: str) -> tuple[str, ...]:
    return CATEGORIES.get(object_type, UNKNOWN_CATEGORIES)


def persons_by_object(object_type: str, object_ids: Iterable[str]) -> dict[str, PersonKey]:
    """Map each object id to the person it concerns (itself when unknown)."""
    ids = [str(object_id) for object_id in object_ids]
    if object_type == "patient":
        return {object_id: f"patient:{object_id}" for object_id in ids}
    mapped: dict[str, PersonKey] = {}
    if object_type == "screening":
        mapped = _screening_patients(ids)
    return {object_id: mapped.get(object_id, f"{object_type}:{object_id}") for object_id in ids}


def _screening_patients(ids: list[str]) -> dict[str, PersonKey]:
    from relais.screening.models import Screening

    valid = [object_id for object_id in ids if _is_uuid(object_id)]
    rows = Screening.objects.filter(pk__in=valid).values_list("pk", "patient_id")
    return {str(pk): f"patient:{patient_id}" for pk, patient_id in rows}


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def persons_in(events: Iterable[tuple[str, list[Any]]]) -> set[PersonKey]:
    """The distinct persons touched by ``(object_type, object_ids)`` pairs."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, object_ids in events:
        if isinstance(object_ids, list):
            by_type[object_type].update(str(object_id) for object_id in object_ids)
    persons: set[PersonKey] = set()
    for object_type, ids in by_type.items():
        persons.update(persons_by_object(object_type, ids).values())
    return persons


def find_patients(pharmacy_ids: Iterable[int], *, nir: str = "", email: str = "") -> list[str]:
    """Patient ids with this NIR or e-mail, searched through each pharmacy's blind index.

    Raises the screening app's ``ValidationErrors`` on an unreadable NIR or e-mail.
    """
    from relais.screening.models import Patient
    from relais.screening.patients import email_index, nir_index
    from relais.screening.validation import normalize_email, normalize_nir

    normal_nir = normalize_nir(nir) if nir else ""
    normal_email = normalize_email(email) if email else ""
    found: set[str] = set()
    for pharmacy_id in pharmacy_ids:
        scope = Patient.objects.filter(pharmacy_id=pharmacy_id)
        if normal_nir:
            found.update(
                str(pk)
                for pk in scope.filter(nir_index=nir_index(pharmacy_id, normal_nir)).values_list(
                    "pk", flat=True
                )
            )
        if normal_email:
            found.update(
                str(pk)
                for pk in scope.filter(
                    email_index=email_index(pharmacy_id, normal_email)
                ).values_list("pk", flat=True)
            )
    return sorted(found)


def object_ids_of_patients(patient_ids: list[str]) -> dict[str, list[str]]:
    """Every object id, by type, that concerns these patients (to search events with)."""
    from relais.screening.models import Screening

    screenings = Screening.objects.filter(patient_id__in=patient_ids).values_list("pk", flat=True)
    return {"patient": list(patient_ids), "screening": [str(pk) for pk in screenings]}


# The patient fields listed for a controller's notification duty (decrypted on export only).
PERSON_FIELDS = ("last_name", "first_names", "birth_date", "email", "phone")


def describe_patients(pharmacy_id: int, patient_ids: Iterable[str]) -> Iterable[list[str]]:
    """Rows of identity and contact for the controller's breach notification (decrypts)."""
    from relais.screening.models import Patient

    valid = [pk for pk in patient_ids if _is_uuid(pk)]
    for patient in Patient.objects.filter(pharmacy_id=pharmacy_id, pk__in=valid).iterator(500):
        row = [str(patient.pk)]
        for name in PERSON_FIELDS:
            value = getattr(patient, name)
            row.append(
                " ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            )
        yield row
