"""The API's shapes. Inputs document the submission body (validated by the screening
services, which report every field at once); outputs are what responses carry.

Output shapes hold the least personal data: ids, statuses, codes, a masked NIR.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

Sex = Literal["F", "M", "U"]
TestKind = Literal["rapid_antigen", "rt_pcr", "supervised_self_test"]
ResultCode = Literal["positive", "negative", "not_interpretable"]
NoNirReason = Literal["foreign_resident", "newborn", "undocumented", "not_provided_by_patient"]
Outcome = Literal["created", "existing", "invalid"]
MAX_BATCH = 1000


class AddressIn(Schema):
    line: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, description="ISO 3166-1 alpha-2; FR when absent")


class PatientIn(Schema):
    last_name: str = Field(..., max_length=100)
    first_names: list[str] | str = Field(..., description="given names, civil-status order")
    sex: Sex
    birth_date: date
    nir: str | None = Field(None, description="15 characters: 13 digits (2A/2B) + 2-digit key")
    no_nir_reason: NoNirReason | None = Field(None, description="required when nir is absent")
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    address: AddressIn | None = None


class SubmissionIn(Schema):
    """One screening, exactly as vendors send it (field names are a stable contract)."""

    patient: PatientIn
    test_kind: TestKind
    device_id: str | None = Field(None, description="EU JRC id; required for rapid_antigen")
    sampled_at: datetime = Field(..., description="ISO 8601 with an offset")
    result: ResultCode
    symptoms: bool
    symptoms_onset: date | None = None
    consent: bool
    external_ref: str | None = Field(None, max_length=100, description="the vendor's own id")


class BatchIn(Schema):
    items: list[SubmissionIn] = Field(..., min_length=1, max_length=MAX_BATCH)


class PatientChangesIn(Schema):
    last_name: str | None = None
    first_names: list[str] | str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    nir: str | None = None
    no_nir_reason: NoNirReason | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressIn | None = None


class CorrectionIn(Schema):
    """The fields to change (any of the submission's but test_kind), and why."""

    patient: PatientChangesIn | None = None
    device_id: str | None = None
    sampled_at: datetime | None = None
    result: ResultCode | None = None
    symptoms: bool | None = None
    symptoms_onset: date | None = None
    consent: bool | None = None
    notes: str | None = Field(None, max_length=500)


class CancellationIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class FieldIssue(Schema):
    field: str
    code: str
    detail: str


class Problem(Schema):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    request_id: str | None = None
    errors: list[FieldIssue] | None = None


class RecordedOut(Schema):
    id: str
    status: str
    version: int
    outcome: Outcome
    warnings: list[FieldIssue]


class BatchItemOut(Schema):
    index: int
    outcome: Outcome
    id: str | None = None
    status: str | None = None
    errors: list[FieldIssue] = []
    warnings: list[FieldIssue] = []


class BatchCounts(Schema):
    created_count: int
    existing_count: int
    invalid_count: int


class BatchOut(Schema):
    items: list[BatchItemOut]
    counts: BatchCounts


class TransmissionOut(Schema):
    version: int
    status: str
    attempts: int
    platform_reference: str
    reasons: list[str]
    acknowledged_at: datetime | None
    next_attempt_at: datetime | None


class VersionOut(Schema):
    number: int
    action: str
    created_at: datetime
    sampled_at: datetime
    result: str
    device_id: str


class PatientOut(Schema):
    nir_masked: str | None
    no_nir_reason: str | None


class ScreeningOut(Schema):
    id: str
    test_kind: str
    loinc: str
    status: str
    current_version: int
    external_ref: str
    created_at: datetime
    patient: PatientOut
    versions: list[VersionOut]
    transmissions: list[TransmissionOut]


class ScreeningSummaryOut(Schema):
    id: str
    test_kind: str
    status: str
    current_version: int
    external_ref: str
    created_at: datetime


class ScreeningPageOut(Schema):
    items: list[ScreeningSummaryOut]
    next_cursor: str | None


class VersionRecordedOut(Schema):
    id: str
    status: str
    version: int
    warnings: list[FieldIssue]


class DeviceOut(Schema):
    id: str
    label: str


class DevicesOut(Schema):
    items: list[DeviceOut]


class TestKindOut(Schema):
    code: str
    label: str
    loinc: str
    device: Literal["required", "allowed", "none"]


class TestKindsOut(Schema):
    items: list[TestKindOut]
