"""Patients: blind indexes, the search for a returning patient, and (de)serialisation.

Not a services module: these helpers run inside the services' transactions and do no access
check of their own.

A returning patient is recognised by
1. the NIR's blind index, when a NIR is given (one patient per NIR per pharmacy); else
2. the identity index (last name + birth date) *and* the same given names, preferring the
   candidate with the same e-mail index. An e-mail alone never decides: parents and
   children often share one, and merging two people's records is worse than a duplicate.
   Two candidates with different NIRs are different people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from relais.core.rows import placeholders, select_where
from relais.screening.models import Patient
from relais.screening.validation import (
    Address,
    CleanPatient,
    blind_index_normal_email,
    blind_index_normal_identity,
)
from relais.vault.blind import blind_index

NIR_INDEX = "patient_nir"
EMAIL_INDEX = "patient_email"
IDENTITY_INDEX = "patient_identity"


@dataclass(frozen=True, slots=True)
class PatientIndexes:
    nir: bytes | None
    email: bytes | None
    identity: bytes


def nir_index(pharmacy_id: int, nir: str) -> bytes:
    return blind_index(pharmacy_id, NIR_INDEX, nir)


def email_index(pharmacy_id: int, email: str) -> bytes:
    return blind_index(pharmacy_id, EMAIL_INDEX, blind_index_normal_email(email))


def indexes_for(pharmacy_id: int, patient: CleanPatient) -> PatientIndexes:
    identity = blind_index_normal_identity(patient.last_name, patient.birth_date)
    return PatientIndexes(
        nir=nir_index(pharmacy_id, patient.nir) if patient.nir else None,
        email=email_index(pharmacy_id, patient.email) if patient.email else None,
        identity=blind_index(pharmacy_id, IDENTITY_INDEX, identity),
    )


def candidates_for(pharmacy_id: int, indexes: Iterable[PatientIndexes]) -> list[Patient]:
    """Every patient of the pharmacy sharing a NIR or identity index with `indexes`."""
    chosen = list(indexes)
    identities = sorted({idx.identity for idx in chosen})
    nirs = sorted({idx.nir for idx in chosen if idx.nir is not None})
    where = f"pharmacy_id = %s AND (identity_index IN ({placeholders(identities)})"
    if nirs:
        where += f" OR nir_index IN ({placeholders(nirs)})"
    return select_where(Patient, where + ")", [pharmacy_id, *identities, *nirs])


def choose_returning(
    candidates: Iterable[Patient], patient: CleanPatient, idx: PatientIndexes
) -> Patient | None:
    """The rules of the module docstring, applied to `candidates` (patients sharing the NIR
    or the identity index; any others are ignored)."""
    pool = list(candidates)
    if idx.nir is not None:
        for candidate in pool:
            if _bytes(candidate.nir_index) == idx.nir:
                return candidate
    same_identity = sorted(
        (c for c in pool if _bytes(c.identity_index) == idx.identity),
        key=lambda c: c.created_at,
    )
    if patient.nir is not None:  # someone else's NIR means someone else
        same_identity = [c for c in same_identity if c.nir_index is None]
    candidates_named = [c for c in same_identity if _same_given_names(c, patient)]
    same_email = [
        c for c in candidates_named if idx.email is not None and _bytes(c.email_index) == idx.email
    ]
    preferred = same_email or candidates_named
    return preferred[0] if preferred else None


def _bytes(value: bytes | memoryview | None) -> bytes | None:
    return None if value is None else bytes(value)


def _same_given_names(candidate: Patient, patient: CleanPatient) -> bool:
    theirs = [str(n).casefold() for n in candidate.first_names or []]
    return theirs == [n.casefold() for n in patient.first_names]


def apply_identity(record: Patient, patient: CleanPatient, idx: PatientIndexes) -> None:
    """Write the clean identity onto `record`; a known NIR or contact is never erased."""
    record.last_name = patient.last_name
    record.first_names = list(patient.first_names)
    record.sex = patient.sex
    record.birth_date = patient.birth_date
    if patient.nir is not None or record.nir is None:
        record.nir, record.nir_index = patient.nir, idx.nir
        record.no_nir_reason = patient.no_nir_reason
    if patient.email is not None:
        record.email, record.email_index = patient.email, idx.email
    if patient.phone is not None:
        record.phone = patient.phone
    if patient.address is not None:
        record.address = address_to_dict(patient.address)
    record.identity_index = idx.identity
    record.updated_at = timezone.now()


def address_to_dict(address: Address) -> dict[str, Any]:
    return {
        "line": address.line,
        "postal_code": address.postal_code,
        "city": address.city,
        "country": address.country,
    }


def patient_to_body(patient: CleanPatient) -> dict[str, Any]:
    """The clean identity in the API body's shape (pre-registration keeps it so)."""
    return {
        "last_name": patient.last_name,
        "first_names": list(patient.first_names),
        "sex": patient.sex,
        "birth_date": patient.birth_date.isoformat(),
        "nir": patient.nir,
        "no_nir_reason": patient.no_nir_reason,
        "email": patient.email,
        "phone": patient.phone,
        "address": address_to_dict(patient.address) if patient.address else None,
    }


def record_to_body(record: Patient) -> dict[str, Any]:
    """A stored patient in the API body's shape, e.g. to re-validate it with changes."""
    born: date | None = record.birth_date
    return {
        "last_name": record.last_name,
        "first_names": list(record.first_names or []),
        "sex": record.sex,
        "birth_date": born.isoformat() if born else None,
        "nir": record.nir,
        "no_nir_reason": record.no_nir_reason,
        "email": record.email,
        "phone": record.phone,
        "address": record.address,
    }
