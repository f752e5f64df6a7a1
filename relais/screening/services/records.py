"""Record, correct and cancel screenings.

Validation runs before any write and reports every field; nothing is half-saved because the
whole call is one transaction. Every new version goes through the outbox hook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event, record_events
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.core.services import service
from relais.screening import bulk
from relais.screening import recording as r
from relais.screening.errors import IdempotencyConflictError
from relais.screening.kinds import Status, VersionAction
from relais.screening.models import Screening, ScreeningVersion
from relais.screening.patients import apply_identity, indexes_for, record_to_body
from relais.screening.readmodels import RecordOutcome, VersionOutcome
from relais.screening.submission import (
    CleanSubmission,
    CleanTest,
    Device,
    DeviceLookup,
    validate_notes,
    validate_submission,
)
from relais.screening.valuesets import device_lookup

# A correction that leaves the sample time alone may come long after it (a late lab result).
CORRECTION_WINDOW = timedelta(days=3650)
CORRECTABLE = frozenset(
    {"patient", "device_id", "sampled_at", "result", "symptoms", "symptoms_onset", "consent"}
)


@service
def record_screening(
    actor: Actor,
    pharmacy_id: int,
    data: Mapping[str, Any],
    *,
    idempotency: str | None = None,
    now: datetime | None = None,
) -> RecordOutcome:
    """Record one screening from an API-shaped body; an identical one returns the first.

    `idempotency` is the API's Idempotency-Key: the same key and body return the first
    screening, the same key with another body raises `IdempotencyConflictError`.
    """
    require(actor, Action.SCREENING_CREATE, pharmacy_id)
    moment = now or timezone.now()
    fingerprint = r.fingerprint(pharmacy_id, data) if idempotency is not None else None
    if idempotency is not None:
        replayed = _replayed(pharmacy_id, idempotency, fingerprint)
        if replayed is not None:
            return _outcome(actor, replayed, created=False, warnings=[])
    clean, warnings = validate_submission(
        data, now=moment, devices=device_lookup, sample_window=r.sample_window()
    )
    entry = bulk.Entry(clean, idempotency, fingerprint)
    recorded = _record_one(actor, pharmacy_id, entry, moment)
    return _outcome(actor, recorded.screening, created=recorded.created, warnings=warnings)


@service
def record_screenings(
    actor: Actor,
    pharmacy_id: int,
    items: Sequence[Mapping[str, Any]],
    *,
    now: datetime | None = None,
) -> list[RecordOutcome | ValidationErrors]:
    """Record a batch (the API's, up to 1,000 bodies): per item, in order, its outcome or
    the errors that refused it. Valid items are recorded whatever the others hold, in a few
    statements for the whole batch; each recorded screening has its own audit event."""
    require(actor, Action.SCREENING_CREATE, pharmacy_id)
    moment = now or timezone.now()
    window = r.sample_window()
    checked: list[tuple[bulk.Entry, list[FieldError]] | ValidationErrors] = []
    for item in items:
        try:
            clean, warnings = validate_submission(
                item, now=moment, devices=device_lookup, sample_window=window
            )
        except ValidationErrors as refused:
            checked.append(refused)
        else:
            checked.append((bulk.Entry(clean), warnings))
    valid = [c for c in checked if not isinstance(c, ValidationErrors)]
    entries = [entry for entry, _warnings in valid]
    recorded = r.in_savepoint(lambda: bulk.record_all(actor, pharmacy_id, entries, moment=moment))
    if recorded is None:  # a concurrent request won a unique constraint: one at a time
        recorded = [_record_one(actor, pharmacy_id, entry, moment) for entry in entries]
    audited = [_audit_entry(one.screening, one.created) for one in recorded]
    if not audited:  # every item refused: the call itself is still on record
        audited = [([], "invalid", {"invalid_count": len(items)})]
    record_events(
        AuditAction.SCREENING_RECORDED,
        audited,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
    )
    outcomes = iter(
        RecordOutcome(one.screening, one.created, tuple(warnings))
        for one, (_entry, warnings) in zip(recorded, valid, strict=True)
    )
    return [c if isinstance(c, ValidationErrors) else next(outcomes) for c in checked]


def _record_one(
    actor: Actor, pharmacy_id: int, entry: bulk.Entry, moment: datetime
) -> bulk.Recorded:
    for _attempt in range(2):  # a concurrent twin may win a unique constraint once
        recorded = r.in_savepoint(
            lambda: bulk.record_all(actor, pharmacy_id, [entry], moment=moment)
        )
        if recorded is not None:
            return recorded[0]
    raise RuntimeError("screening could not be recorded after a concurrent conflict")


def _replayed(pharmacy_id: int, key: str, fingerprint: bytes | None) -> Screening | None:
    found = Screening.objects.filter(pharmacy_id=pharmacy_id, idempotency_key=key).first()
    if found is not None and bytes(found.request_fingerprint or b"") != fingerprint:
        raise IdempotencyConflictError("idempotency key reused with a different body")
    return found


def _audit_entry(
    screening: Screening, created: bool
) -> tuple[list[object], str, dict[str, str | bool | int]]:
    details: dict[str, str | bool | int] = {
        "patient_id": str(screening.patient_id),
        "created": created,
    }
    return [screening.pk], "success" if created else "existing", details


def _outcome(
    actor: Actor, screening: Screening, *, created: bool, warnings: list[FieldError]
) -> RecordOutcome:
    object_ids, outcome, details = _audit_entry(screening, created)
    record_event(
        AuditAction.SCREENING_RECORDED,
        actor=actor,
        pharmacy_id=screening.pharmacy_id,
        object_type="screening",
        object_ids=object_ids,
        outcome=outcome,
        details=details,
    )
    return RecordOutcome(screening, created, tuple(warnings))


@service
def correct_screening(
    actor: Actor,
    screening_id: object,
    changes: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> VersionOutcome:
    """A new version with `changes` (test fields and/or `patient` fields) merged in.

    `changes` may also carry `notes` (why). The kind cannot change: cancel and record anew.
    """
    screening = r.load_screening(actor, screening_id, Action.SCREENING_CORRECT)
    moment = now or timezone.now()
    _check_correctable(screening, changes)
    previous = r.current_version(screening)
    body = _merged(screening, previous, changes)
    window = r.sample_window() if "sampled_at" in changes else CORRECTION_WINDOW
    clean, warnings = validate_submission(
        body, now=moment, devices=_devices_keeping(previous.device_id), sample_window=window
    )
    notes = _notes(changes.get("notes"))
    if "patient" in changes:
        idx = indexes_for(screening.pharmacy_id, clean.patient)
        apply_identity(screening.patient, clean.patient, idx)
        screening.patient.save()
    _rekey(screening, clean)
    screening.current_version += 1
    screening.save()
    version = r.add_version(
        screening, VersionAction.CORRECT, clean.test, actor, notes=notes, at=moment
    )
    _audit_version(AuditAction.SCREENING_CORRECTED, actor, screening, version.number)
    return VersionOutcome(screening, version, tuple(warnings))


def _check_correctable(screening: Screening, changes: Mapping[str, Any]) -> None:
    if screening.status == Status.CANCELLED:
        raise ValidationErrors.single("status", "screening.cancelled")
    if "test_kind" in changes and changes["test_kind"] != screening.kind:
        raise ValidationErrors.single("test_kind", "test_kind.invalid")
    if not CORRECTABLE & set(changes):
        raise ValidationErrors.single("changes", "changes.empty")


def _merged(
    screening: Screening, previous: ScreeningVersion, changes: Mapping[str, Any]
) -> dict[str, Any]:
    body = r.test_body(previous, screening.kind)
    body.update({k: v for k, v in changes.items() if k in CORRECTABLE and k != "patient"})
    patient = record_to_body(screening.patient)
    patient_changes = changes.get("patient")
    if isinstance(patient_changes, Mapping):
        patient.update(patient_changes)
    elif patient_changes is not None:
        patient = patient_changes
    body["patient"] = patient
    return body


def _devices_keeping(previous_device: str) -> DeviceLookup:
    """The device list, where the version's own device stays valid even if since withdrawn."""

    def lookup(code: str) -> Device | None:
        device = device_lookup(code)
        if device is not None and code == previous_device and not device.active:
            return Device(device.jrc_id, device.label, True)
        return device

    return lookup


def _notes(raw: object) -> str:
    return validate_notes(raw)


def _rekey(screening: Screening, clean: CleanSubmission) -> None:
    key = r.dedup_key(
        screening.pharmacy_id, screening.patient_id, screening.kind, clean.test.sampled_at
    )
    clash = r.existing_duplicate(screening.pharmacy_id, key)
    if clash is not None and clash.pk != screening.pk:
        raise ValidationErrors.single("sampled_at", "screening.duplicate")
    screening.dedup_key = key


@service
def cancel_screening(
    actor: Actor, screening_id: object, reason: str, *, now: datetime | None = None
) -> VersionOutcome:
    """A cancel version (entered by mistake); cancelling twice returns the first cancel."""
    screening = r.load_screening(actor, screening_id, Action.SCREENING_CANCEL)
    notes = validate_notes(reason, "reason")
    previous = r.current_version(screening)
    if screening.status == Status.CANCELLED:
        _audit_version(AuditAction.SCREENING_CANCELLED, actor, screening, previous.number)
        return VersionOutcome(screening, previous)
    test = _test_of(previous, screening.kind)
    screening.status = Status.CANCELLED
    screening.current_version += 1
    screening.dedup_key = None  # a cancelled entry no longer blocks entering it right
    screening.save()
    version = r.add_version(
        screening, VersionAction.CANCEL, test, actor, notes=notes, at=now or timezone.now()
    )
    _audit_version(AuditAction.SCREENING_CANCELLED, actor, screening, version.number)
    return VersionOutcome(screening, version)


def _test_of(version: ScreeningVersion, kind: str) -> CleanTest:
    device = Device(version.device_id, version.device_label, True) if version.device_id else None
    return CleanTest(
        kind,
        device,
        version.sampled_at,
        version.result,
        bool(version.symptoms),
        version.symptoms_onset,
        bool(version.consent),
    )


def _audit_version(action: AuditAction, actor: Actor, screening: Screening, number: int) -> None:
    record_event(
        action,
        actor=actor,
        pharmacy_id=screening.pharmacy_id,
        object_type="screening",
        object_ids=[screening.pk],
        details={"version": number},
    )
