"""Validation of a whole submission (the API body of issue 8), every field at once.

`validate_submission` never touches the database: the device list is passed in as a lookup,
so the API, the counter form and pre-registration pickup share this one function and its
tests can run without Django. Field paths are those of the API body (`patient.address.city`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from relais.core.fielderrors import FieldError, ValidationErrors
from relais.screening.kinds import DEVICE_ALLOWED, DEVICE_REQUIRED, Kind, Result
from relais.screening.validation import (
    CleanPatient,
    validate_patient,
    validate_sample_time,
    validate_symptoms_onset,
)

MAX_NOTES_LENGTH = 500
_EXTERNAL_REF = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,98}[\x21-\x7e])?")


@dataclass(frozen=True, slots=True)
class Device:
    jrc_id: str
    label: str
    active: bool


DeviceLookup = Callable[[str], Device | None]


@dataclass(frozen=True, slots=True, repr=False)
class CleanTest:
    """What was measured: everything of a version but the patient."""

    kind: str
    device: Device | None
    sampled_at: datetime
    result: str
    symptoms: bool
    symptoms_onset: date | None
    consent: bool

    def __repr__(self) -> str:
        return f"CleanTest(kind={self.kind!r}, <health data hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class CleanSubmission:
    patient: CleanPatient
    test: CleanTest
    external_ref: str

    def __repr__(self) -> str:
        return "CleanSubmission(<personal data hidden>)"


class _Errors:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, **params: str | int) -> None:
        self.errors.append(FieldError(field, code, params))

    def run[T](self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationErrors as exc:
            self.errors.extend(exc.errors)
            return None


def validate_submission(
    data: Mapping[str, Any],
    *,
    now: datetime,
    devices: DeviceLookup,
    sample_window: timedelta = timedelta(days=7),
) -> tuple[CleanSubmission, list[FieldError]]:
    """(clean submission, warnings), or `ValidationErrors` naming every invalid field."""
    e = _Errors()
    patient, warnings = _patient(e, data.get("patient"), now)
    test = validate_test(e, data, now=now, devices=devices, sample_window=sample_window)
    external_ref = _external_ref(e, data.get("external_ref"))
    if e.errors or patient is None or test is None:
        raise ValidationErrors(e.errors)
    return CleanSubmission(patient, test, external_ref), warnings


def validate_test(
    e: _Errors,
    data: Mapping[str, Any],
    *,
    now: datetime,
    devices: DeviceLookup,
    sample_window: timedelta,
) -> CleanTest | None:
    """The test fields of `data`, adding their errors to `e`."""
    kind = _choice(e, "test_kind", data.get("test_kind"), Kind.values)
    device = _device(e, kind, data.get("device_id"), devices)
    sampled_at = e.run(lambda: validate_sample_time(data.get("sampled_at"), now, sample_window))
    result = _choice(e, "result", data.get("result"), Result.values)
    symptoms = _boolean(e, "symptoms", data.get("symptoms"))
    onset = None
    if sampled_at is not None and symptoms is not None:
        onset = e.run(
            lambda: validate_symptoms_onset(data.get("symptoms_onset"), symptoms, sampled_at)
        )
    consent = _boolean(e, "consent", data.get("consent"))
    if consent is False:
        e.add("consent", "consent.required")
    if kind is None or sampled_at is None or result is None or symptoms is None or not consent:
        return None
    if kind in DEVICE_REQUIRED and device is None:
        return None
    return CleanTest(kind, device, sampled_at, result, symptoms, onset, consent)


def _patient(
    e: _Errors, raw: object, now: datetime
) -> tuple[CleanPatient | None, list[FieldError]]:
    if raw is None:
        e.add("patient", "patient.required")
        return None, []
    if not isinstance(raw, Mapping):
        e.add("patient", "patient.invalid")
        return None, []
    try:
        patient, warnings = validate_patient(raw, today=now.date())
    except ValidationErrors as exc:
        e.errors.extend(_under("patient", error) for error in exc.errors)
        return None, []
    return patient, [_under("patient", w) for w in warnings]


def _under(prefix: str, error: FieldError) -> FieldError:
    return FieldError(f"{prefix}.{error.field}", error.code, error.params, error.severity)


def _choice(e: _Errors, field: str, raw: object, allowed: list[str]) -> str | None:
    if raw is None or raw == "":
        e.add(field, f"{field}.required")
        return None
    if not isinstance(raw, str) or raw not in allowed:
        e.add(field, f"{field}.invalid")
        return None
    return raw


def _boolean(e: _Errors, field: str, raw: object) -> bool | None:
    # JSON booleans only: "false" as a string is truthy in too many places to guess.
    if raw is None:
        e.add(field, f"{field}.required")
        return None
    if not isinstance(raw, bool):
        e.add(field, f"{field}.invalid")
        return None
    return raw


def _device(e: _Errors, kind: str | None, raw: object, devices: DeviceLookup) -> Device | None:
    blank = raw is None or (isinstance(raw, str) and not raw.strip())
    if kind is None:
        return None
    if blank:
        if kind in DEVICE_REQUIRED:
            e.add("device_id", "device_id.required")
        return None
    if kind not in DEVICE_ALLOWED:
        e.add("device_id", "device_id.unexpected")
        return None
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    device = devices(code) if code and len(code) <= 64 else None  # noqa: PLR2004
    if device is None:
        e.add("device_id", "device_id.unknown")
        return None
    if not device.active:
        e.add("device_id", "device_id.inactive")
        return None
    return device


def _external_ref(e: _Errors, raw: object) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or not _EXTERNAL_REF.fullmatch(raw):
        e.add("external_ref", "external_ref.invalid")
        return ""
    return raw


def validate_notes(raw: object, field: str = "notes") -> str:
    """A free-text reason (correction, cancellation): trimmed, bounded, no control chars."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationErrors.single(field, "notes.too_long", max=MAX_NOTES_LENGTH)
    text = raw.strip()
    if len(text) > MAX_NOTES_LENGTH:
        raise ValidationErrors.single(field, "notes.too_long", max=MAX_NOTES_LENGTH)
    if any(ord(c) < 0x20 and c not in "\n\t" for c in text):  # noqa: PLR2004
        raise ValidationErrors.single(field, "notes.control_character")
    return text
