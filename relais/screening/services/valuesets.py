"""Import an EU DCC value set (devices, test types, results): idempotent, deactivating.

An entry the new document no longer lists, or lists as inactive, is deactivated rather than
deleted, so past screenings still name their device; a rapid antigen test can only be
recorded with an active one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.screening.models.valuesets import ValueSetEntry
from relais.screening.valuesets import clear_device_cache

KNOWN_VALUE_SETS = frozenset(
    {"covid-19-lab-test-manufacturer-and-name", "covid-19-lab-test-type", "covid-19-lab-result"}
)
MAX_ENTRIES = 10_000


class ValueSetFormatError(ValueError):
    """The document is not an EU DCC value set Relais knows."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    value_set: str
    added: int
    updated: int
    deactivated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    label: str
    system: str
    version: str
    active: bool


@service
def import_value_set(
    actor: Actor, document: Mapping[str, Any], *, now: datetime | None = None
) -> ImportReport:
    """Bring the stored value set in line with `document` (platform reference data)."""
    require(actor, Action.PHARMACY_MANAGE)
    value_set, set_date, entries = _parse_document(document)
    moment = now or timezone.now()
    stored = {e.code: e for e in ValueSetEntry.objects.filter(value_set=value_set)}
    counts = {"added": 0, "updated": 0, "deactivated": 0, "unchanged": 0}
    for entry in entries:
        counts[_upsert(value_set, set_date, entry, stored.get(entry.code), moment)] += 1
    listed = {e.code for e in entries}
    gone = [row for code, row in stored.items() if code not in listed and row.active]
    for row in gone:
        row.active, row.imported_at = False, moment
        row.save(update_fields=["active", "imported_at"])
    counts["deactivated"] += len(gone)
    transaction.on_commit(clear_device_cache)
    clear_device_cache()
    report = ImportReport(value_set, **counts)
    record_event(
        AuditAction.VALUESET_IMPORTED,
        actor=actor,
        object_type="value_set",
        object_ids=[value_set],
        details=dict(counts),
    )
    return report


def _upsert(
    value_set: str, set_date: date | None, entry: _Entry, row: ValueSetEntry | None, now: datetime
) -> str:
    fields = {
        "label": entry.label,
        "system": entry.system,
        "version": entry.version,
        "active": entry.active,
    }
    if row is None:
        ValueSetEntry.objects.create(
            value_set=value_set, code=entry.code, value_set_date=set_date, imported_at=now, **fields
        )
        return "added"
    if all(getattr(row, k) == v for k, v in fields.items()):
        return "unchanged"
    outcome = "deactivated" if row.active and not entry.active else "updated"
    for key, value in fields.items():
        setattr(row, key, value)
    row.value_set_date, row.imported_at = set_date, now
    row.save()
    return outcome


def _parse_document(document: Mapping[str, Any]) -> tuple[str, date | None, list[_Entry]]:
    """(value set id, its date, entries), or `ValueSetFormatError` saying what is wrong."""
    if not isinstance(document, Mapping):
        raise ValueSetFormatError("the document must be a JSON object")
    value_set = document.get("valueSetId")
    if value_set not in KNOWN_VALUE_SETS:
        raise ValueSetFormatError(
            f"unknown valueSetId (expected one of {sorted(KNOWN_VALUE_SETS)})"
        )
    values = document.get("valueSetValues")
    if not isinstance(values, Mapping) or len(values) > MAX_ENTRIES:
        raise ValueSetFormatError("valueSetValues must be an object of at most 10,000 entries")
    return (
        str(value_set),
        _date(document.get("valueSetDate")),
        [_entry(code, raw) for code, raw in values.items()],
    )


def _date(raw: object) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValueSetFormatError("valueSetDate must be YYYY-MM-DD") from None


def _entry(code: object, raw: object) -> _Entry:
    if not isinstance(code, str) or not 0 < len(code) <= 64 or not isinstance(raw, Mapping):  # noqa: PLR2004
        raise ValueSetFormatError("each entry must be a code (≤ 64 characters) and an object")
    label = raw.get("display")
    active = raw.get("active")
    if not isinstance(label, str) or not label.strip() or not isinstance(active, bool):
        raise ValueSetFormatError(f"entry {code[:64]!r} needs a display text and active: bool")
    return _Entry(
        code=code,
        label=label.strip()[:300],
        system=str(raw.get("system") or "")[:200],
        version=str(raw.get("version") or "")[:200],
        active=active,
    )
