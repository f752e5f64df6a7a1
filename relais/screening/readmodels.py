"""Read shapes returned by the services: decrypted, least personal data, NIR masked.

Built only inside an audited read service; their reprs hide personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from relais.core.fielderrors import FieldError
from relais.screening.kinds import loinc_for
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.validation import mask_nir


@dataclass(frozen=True, slots=True, repr=False)
class PatientView:
    id: str
    last_name: str
    first_names: tuple[str, ...]
    sex: str
    birth_date: date
    nir_masked: str | None
    no_nir_reason: str | None
    email: str | None
    phone: str | None
    address: dict[str, Any] | None

    def __repr__(self) -> str:
        return f"PatientView({self.id}, <personal data hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class VersionView:
    number: int
    action: str
    created_at: datetime
    performed_by: str
    device_id: str
    device_label: str
    sampled_at: datetime
    result: str
    symptoms: bool
    symptoms_onset: date | None
    consent: bool
    notes: str

    def __repr__(self) -> str:
        return f"VersionView({self.number}, {self.action}, <health data hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class ScreeningView:
    id: str
    pharmacy_id: int
    kind: str
    loinc: str
    status: str
    current_version: int
    external_ref: str
    created_at: datetime
    patient: PatientView
    versions: tuple[VersionView, ...]  # oldest first; the last one is current

    @property
    def current(self) -> VersionView:
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"ScreeningView({self.id}, <personal data hidden>)"


@dataclass(frozen=True, slots=True)
class ScreeningSummary:
    """A row of a list: no personal data at all."""

    id: str
    kind: str
    status: str
    current_version: int
    external_ref: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ScreeningPage:
    items: tuple[ScreeningSummary, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    screening: Screening
    created: bool
    warnings: tuple[FieldError, ...] = ()


@dataclass(frozen=True, slots=True)
class VersionOutcome:
    screening: Screening
    version: ScreeningVersion
    warnings: tuple[FieldError, ...] = ()


def patient_view(record: Patient) -> PatientView:
    return PatientView(
        id=str(record.pk),
        last_name=record.last_name,
        first_names=tuple(record.first_names or ()),
        sex=record.sex,
        birth_date=record.birth_date,
        nir_masked=mask_nir(record.nir) if record.nir else None,
        no_nir_reason=record.no_nir_reason,
        email=record.email,
        phone=record.phone,
        address=record.address,
    )


def version_view(version: ScreeningVersion) -> VersionView:
    return VersionView(
        number=version.number,
        action=version.action,
        created_at=version.created_at,
        performed_by=version.performed_by,
        device_id=version.device_id,
        device_label=version.device_label,
        sampled_at=version.sampled_at,
        result=version.result,
        symptoms=bool(version.symptoms),
        symptoms_onset=version.symptoms_onset,
        consent=bool(version.consent),
        notes=version.notes or "",
    )


def screening_view(screening: Screening) -> ScreeningView:
    versions = screening.versions.order_by("number")
    return ScreeningView(
        id=str(screening.pk),
        pharmacy_id=screening.pharmacy_id,
        kind=screening.kind,
        loinc=loinc_for(screening.kind),
        status=screening.status,
        current_version=screening.current_version,
        external_ref=screening.external_ref,
        created_at=screening.created_at,
        patient=patient_view(screening.patient),
        versions=tuple(version_view(v) for v in versions),
    )


def summary(screening: Screening) -> ScreeningSummary:
    return ScreeningSummary(
        id=str(screening.pk),
        kind=screening.kind,
        status=screening.status,
        current_version=screening.current_version,
        external_ref=screening.external_ref,
        created_at=screening.created_at,
    )
