"""Forgetting a screening's personal data (no access check: run inside the purge and
erasure services' transactions).

Order within the transaction, so that whatever commits is consistent: the versions (health
data, sealed) go first — their transmissions keep their row with ``version = NULL`` for
billing — then the screening's blind indexes (dedup key, request fingerprint), then the
patient's sealed fields *and* blind indexes together, only once none of the patient's
screenings holds data any more. What stays: the screening's kind, dates and status, and
the transmissions (counts for billing and statistics), none of it personal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from relais.privacy.models import ExpiryWarning
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.vault.fields import encrypted_fields

PATIENT_INDEXES = ("nir_index", "email_index", "identity_index")
SCREENING_INDEXES = {"dedup_key": None, "request_fingerprint": None, "external_ref": ""}


@dataclass(frozen=True, slots=True)
class Forgotten:
    screenings: int
    versions: int
    patients: int


def forget_screenings(screenings: Iterable[Screening]) -> Forgotten:
    rows = list(screenings)
    ids = [s.pk for s in rows]
    versions, _ = ScreeningVersion.objects.filter(screening_id__in=ids).delete()
    Screening.objects.filter(pk__in=ids).update(**SCREENING_INDEXES)
    ExpiryWarning.objects.filter(screening_id__in=ids).delete()
    patients = clear_patients({s.patient_id for s in rows})
    return Forgotten(len(ids), versions, patients)


def _holding_data() -> Exists:
    return Exists(ScreeningVersion.objects.filter(screening__patient_id=OuterRef("pk")))


def still_identified() -> Q:
    """A patient row that still holds something personal (a sealed field or an index)."""
    fields = [f.name for f in encrypted_fields(Patient)] + list(PATIENT_INDEXES)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__isnull": False})
    return condition


def clear_patients(patient_ids: Iterable[object]) -> int:
    """Clear the patients among ``patient_ids`` none of whose screenings holds data."""
    done = Patient.objects.filter(pk__in=list(patient_ids)).exclude(_holding_data())
    return _clear(done)


def _clear(patients: QuerySet[Patient]) -> int:
    cleared = dict.fromkeys([f.name for f in encrypted_fields(Patient)], None)
    cleared.update(dict.fromkeys(PATIENT_INDEXES, None))
    return patients.filter(still_identified()).update(**cleared)


def orphaned_patients() -> QuerySet[Patient]:
    """Patients whose every screening was purged but who still hold personal data: left
    by an interrupted run before this module cleared patients in the same transaction, or
    by any future path; swept by the purge. A patient with no screening at all (a decoy
    of the audit app) is not touched."""
    with_screening = Exists(Screening.objects.filter(patient_id=OuterRef("pk")))
    return (
        Patient.objects.filter(with_screening).exclude(_holding_data()).filter(still_identified())
    )


def clear_orphaned(patient_ids: Iterable[object]) -> int:
    return _clear(orphaned_patients().filter(pk__in=list(patient_ids)))
