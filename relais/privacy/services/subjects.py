"""Data-subject requests, handled by the pharmacy (the controller) through its processor.

Find a person by NIR or e-mail (blind indexes), export everything held about them, rectify
(a correction of each of their screenings, relayed to SI-DEP), erase where the law allows.
Erasure is refused, with its legal basis recorded, for any screening SI-DEP has not yet
acknowledged: reporting every result is a legal obligation (GDPR art. 17(3)(b)). Once
acknowledged, erasure is the purge, early, for that person.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import ValidationErrors
from relais.core.services import service
from relais.privacy import selection
from relais.privacy.forgetting import clear_patients, forget_screenings, still_identified
from relais.privacy.portability import SubjectData, collect
from relais.screening.errors import PatientNotFoundError
from relais.screening.kinds import Status
from relais.screening.models import Patient, Screening
from relais.screening.readmodels import PatientView
from relais.screening.services import correct_screening, find_patient

REPORTING_DUTY = "sidep_reporting_duty"
LEGAL_BASES = {
    REPORTING_DUTY: (
        "RGPD art. 17(3)(b) : obligation légale de déclarer chaque résultat de dépistage à "
        "SI-DEP (décret n° 2020-551 du 12 mai 2020) ; la plateforme n'a pas encore accusé "
        "réception de ce dépistage."
    ),
}


@dataclass(frozen=True, slots=True)
class ErasureOutcome:
    erased: tuple[str, ...]
    refused: tuple[str, ...]
    legal_basis: str  # a key of LEGAL_BASES, or "" when nothing was refused
    patient_cleared: bool


@service
def find_subject(
    actor: Actor, pharmacy_id: int, *, nir: str | None = None, email: str | None = None
) -> list[PatientView]:
    """The pharmacy's patients with this NIR or e-mail (audited by the screening search)."""
    require(actor, Action.SUBJECT_REQUEST, pharmacy_id)
    if not nir and not email:
        raise ValidationErrors.single("nir", "subject.nir_or_email_required")
    return find_patient(actor, pharmacy_id, nir=nir or None, email=email or None)


def _patient(actor: Actor, pharmacy_id: int, patient_id: object) -> Patient:
    require(actor, Action.SUBJECT_REQUEST, pharmacy_id)
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError:
        key = None
    found = Patient.objects.filter(pk=key, pharmacy_id=pharmacy_id).first() if key else None
    if found is None:
        raise PatientNotFoundError(actor, Action.SUBJECT_REQUEST, pharmacy_id)
    return found


@service
def export_subject(actor: Actor, pharmacy_id: int, patient_id: object) -> SubjectData:
    """Everything Relais holds about one patient of the pharmacy, decrypted in memory."""
    patient = _patient(actor, pharmacy_id, patient_id)
    data = collect(patient)
    record_event(
        AuditAction.SUBJECT_EXPORTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=[patient.pk],
        details={"screenings": len(data.screenings)},
    )
    return data


@service
def rectify_subject(
    actor: Actor, pharmacy_id: int, patient_id: object, changes: Mapping[str, Any], notes: str
) -> int:
    """Correct the identity on every screening still held: each correction is a new version
    relayed to SI-DEP. Returns how many screenings were corrected."""
    patient = _patient(actor, pharmacy_id, patient_id)
    held = _held(patient).exclude(status=Status.CANCELLED).order_by("created_at")
    ids = list(held.values_list("pk", flat=True))
    if not ids:
        raise ValidationErrors.single("patient", "subject.nothing_to_rectify")
    for screening_id in ids:
        correct_screening(actor, screening_id, {"patient": dict(changes), "notes": notes})
    record_event(
        AuditAction.SUBJECT_RECTIFIED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=[patient.pk, *ids],
        details={"screenings": len(ids), "fields": ",".join(sorted(changes))},
    )
    return len(ids)


def _held(patient: Patient) -> Any:
    return Screening.objects.filter(patient=patient, versions__isnull=False).distinct()


@service
def erase_subject(actor: Actor, pharmacy_id: int, patient_id: object) -> ErasureOutcome:
    """Erase what may be erased now; refuse the rest, naming the legal basis."""
    patient = _patient(actor, pharmacy_id, patient_id)
    held = list(_held(patient).values_list("pk", flat=True))
    erasable = list(selection.settled_by_acknowledgement(held).select_for_update(of=("self",)))
    refused = [str(pk) for pk in held if pk not in {s.pk for s in erasable}]
    forget_screenings(erasable)
    if not refused:
        clear_patients([patient.pk])  # also a patient with no screening left to hold data
    cleared = not Patient.objects.filter(still_identified(), pk=patient.pk).exists()
    outcome = ErasureOutcome(
        erased=tuple(str(s.pk) for s in erasable),
        refused=tuple(refused),
        legal_basis=REPORTING_DUTY if refused else "",
        patient_cleared=cleared,
    )
    _audit_erasure(actor, pharmacy_id, patient, outcome)
    return outcome


def _audit_erasure(
    actor: Actor, pharmacy_id: int, patient: Patient, outcome: ErasureOutcome
) -> None:
    if outcome.erased or outcome.patient_cleared or not outcome.refused:
        record_event(
            AuditAction.SUBJECT_ERASED,
            actor=actor,
            pharmacy_id=pharmacy_id,
            object_type="patient",
            object_ids=[patient.pk, *outcome.erased],
            details={"screenings": len(outcome.erased), "patient_cleared": outcome.patient_cleared},
        )
    if outcome.refused:
        record_event(
            AuditAction.SUBJECT_ERASURE_REFUSED,
            actor=actor,
            pharmacy_id=pharmacy_id,
            object_type="patient",
            object_ids=[patient.pk, *outcome.refused],
            outcome="refused",
            details={"screenings": len(outcome.refused), "legal_basis": outcome.legal_basis},
        )
