"""Building blocks of the recording services (run inside their transaction, no access check).

Not a services module on purpose: nothing here is callable from a view on its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from relais.access.actors import Actor
from relais.access.policy import Action, can, require
from relais.core.services import conflicts_retry_whole
from relais.screening import hooks
from relais.screening.errors import ScreeningNotFoundError
from relais.screening.kinds import VersionAction
from relais.screening.models import Screening, ScreeningVersion
from relais.screening.submission import CleanTest
from relais.vault.blind import blind_index

DEDUP_INDEX = "screening_dedup"
FINGERPRINT_INDEX = "request_fingerprint"


def sample_window() -> timedelta:
    return timedelta(days=int(getattr(settings, "RELAIS_SAMPLE_WINDOW_DAYS", 7)))


def dedup_key(pharmacy_id: int, patient_id: object, kind: str, sampled_at: datetime) -> bytes:
    """HMAC of (patient, kind, sample minute): a form's 10:30 and an LGO's 10:30:15 match."""
    minute = int(sampled_at.timestamp()) // 60
    return blind_index(pharmacy_id, DEDUP_INDEX, f"{patient_id}|{kind}|{minute}")


def fingerprint(pharmacy_id: int, data: Mapping[str, Any]) -> bytes:
    """HMAC of the submitted body (it holds personal data: never a bare hash)."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return blind_index(pharmacy_id, FINGERPRINT_INDEX, text)


def existing_duplicate(pharmacy_id: int, key: bytes) -> Screening | None:
    return Screening.objects.filter(pharmacy_id=pharmacy_id, dedup_key=key).first()


def in_savepoint[T](create: Callable[[], T]) -> T | None:
    """Run `create()` in a savepoint; None when a concurrent twin won a unique constraint.
    Where the caller retries its whole transaction on such a conflict (the API's requests),
    no savepoint is needed: the IntegrityError goes up to it."""
    if conflicts_retry_whole():
        return create()
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        return None


def add_version(
    screening: Screening,
    action: VersionAction,
    test: CleanTest,
    actor: Actor,
    *,
    notes: str = "",
    at: datetime | None = None,
) -> ScreeningVersion:
    """Write version `current_version` of `screening` and hand it to the outbox hook."""
    version = new_version(screening, action, test, actor, notes=notes, at=at)
    version.save()
    hooks.versions_recorded([version])
    return version


def new_version(
    screening: Screening,
    action: VersionAction,
    test: CleanTest,
    actor: Actor,
    *,
    notes: str = "",
    at: datetime | None = None,
) -> ScreeningVersion:
    """Version `current_version` of `screening`, not saved yet."""
    version = ScreeningVersion(
        screening=screening,
        pharmacy_id=screening.pharmacy_id,
        number=screening.current_version,
        action=action,
        performed_by=actor.label,
        device_id=test.device.jrc_id if test.device else "",
        device_label=test.device.label if test.device else "",
        sampled_at=test.sampled_at,
        result=test.result,
        symptoms=test.symptoms,
        symptoms_onset=test.symptoms_onset,
        consent=test.consent,
        notes=notes or None,
    )
    if at is not None:
        version.created_at = at
    return version


def test_body(version: ScreeningVersion, kind: str) -> dict[str, Any]:
    """A stored version in the API body's shape, to merge a correction into it."""
    return {
        "test_kind": kind,
        "device_id": version.device_id or None,
        "sampled_at": version.sampled_at,
        "result": version.result,
        "symptoms": version.symptoms,
        "symptoms_onset": version.symptoms_onset,
        "consent": version.consent,
    }


def current_version(screening: Screening) -> ScreeningVersion:
    return screening.versions.get(number=screening.current_version)


def load_screening(actor: Actor, screening_id: object, action: Action) -> Screening:
    """The screening, locked, if `actor` may see it; else `ScreeningNotFoundError`.

    An actor sees a screening it may read or act on: a pharmacy software whose key may only
    write still corrects and cancels what it submitted. Someone who may read the screening
    but not perform `action` (a technician cancelling) gets a plain refusal; anyone else
    gets "not found", whether it exists or not.
    """
    screening = _by_id(screening_id)
    if screening is None or not _sees(actor, screening.pharmacy_id, action):
        pharmacy_id = screening.pharmacy_id if screening is not None else None
        raise ScreeningNotFoundError(actor, action, pharmacy_id)
    require(actor, action, screening.pharmacy_id)
    return screening


def _sees(actor: Actor, pharmacy_id: int, action: Action) -> bool:
    return can(actor, Action.SCREENING_READ, pharmacy_id) or can(actor, action, pharmacy_id)


def _by_id(screening_id: object) -> Screening | None:
    try:
        key = uuid.UUID(str(screening_id))
    except ValueError:  # a malformed id is just not found
        return None
    return Screening.objects.select_for_update().filter(pk=key).first()
