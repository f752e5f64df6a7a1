"""Parsing an EU DCC value-set document and bringing the stored entries in line with it.

An entry the new document no longer lists, or lists as inactive, is deactivated rather than
deleted, so past screenings still name their device; a rapid antigen test can only be
recorded with an active one. Used by the audited import and by the shipped-files loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from relais.screening.models.valuesets import ValueSetEntry

KNOWN_VALUE_SETS = frozenset(
    {
        "covid-19-lab-test-manufacturer-and-name",
        "covid-19-lab-test-type",
        "covid-19-lab-result",
        "disease-agent-targeted",
    }
)
MAX_ENTRIES = 10_000
MAX_CODE_LENGTH = 64


class ValueSetFormatError(ValueError):
    """The document is not an EU DCC value set Relais knows."""


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    label: str
    system: str
    version: str
    active: bool


@dataclass(frozen=True, slots=True)
class ImportReport:
    value_set: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "deactivated": len(self.deactivated),
            "unchanged": self.unchanged,
        }


def parse_document(document: object) -> tuple[str, date | None, list[Entry]]:
    """(value set id, its date, entries), or `ValueSetFormatError` saying what is wrong."""
    if not isinstance(document, Mapping):
        raise ValueSetFormatError("the document must be a JSON object")
    value_set = document.get("valueSetId")
    if value_set not in KNOWN_VALUE_SETS:
        raise ValueSetFormatError(
            f"unknown valueSetId (expected one of {sorted(KNOWN_VALUE_SETS)})"
        )
    values = document.get("valueSetValues")
    if not isinstance(values, Mapping) or not values or len(values) > MAX_ENTRIES:
        raise ValueSetFormatError("valueSetValues must be an object of 1 to 10,000 entries")
    return (
        str(value_set),
        _date(document.get("valueSetDate")),
        [_entry(code, raw) for code, raw in values.items()],
    )


def apply_value_set(
    value_set: str,
    set_date: date | None,
    entries: list[Entry],
    now: datetime,
    *,
    using: str = "default",
) -> ImportReport:
    """Add, update and deactivate stored entries so they match `entries` (caller's
    transaction)."""
    rows = ValueSetEntry.objects.using(using)
    stored = {e.code: e for e in rows.filter(value_set=value_set)}
    report = ImportReport(value_set)
    unchanged = 0
    for entry in entries:
        outcome = _upsert(value_set, set_date, entry, stored.get(entry.code), now=now, using=using)
        if outcome == "unchanged":
            unchanged += 1
        else:
            getattr(report, outcome).append(entry.code)
    listed = {e.code for e in entries}
    gone = [row for code, row in stored.items() if code not in listed and row.active]
    for row in gone:
        row.active, row.imported_at = False, now
        row.save(using=using, update_fields=["active", "imported_at"])
        report.deactivated.append(row.code)
    return ImportReport(value_set, report.added, report.updated, report.deactivated, unchanged)


def _upsert(
    value_set: str,
    set_date: date | None,
    entry: Entry,
    row: ValueSetEntry | None,
    *,
    now: datetime,
    using: str,
) -> str:
    fields = {
        "label": entry.label,
        "system": entry.system,
        "version": entry.version,
        "active": entry.active,
    }
    if row is None:
        ValueSetEntry.objects.using(using).create(
            value_set=value_set, code=entry.code, value_set_date=set_date, imported_at=now, **fields
        )
        return "added"
    if all(getattr(row, k) == v for k, v in fields.items()):
        return "unchanged"
    outcome = "deactivated" if row.active and not entry.active else "updated"
    for key, value in fields.items():
        setattr(row, key, value)
    row.value_set_date, row.imported_at = set_date, now
    row.save(using=using)
    return outcome


def _date(raw: object) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValueSetFormatError("valueSetDate must be YYYY-MM-DD") from None


def _entry(code: object, raw: object) -> Entry:
    if (
        not isinstance(code, str)
        or not 0 < len(code) <= MAX_CODE_LENGTH
        or not isinstance(raw, Mapping)
    ):
        raise ValueSetFormatError("each entry must be a code (≤ 64 characters) and an object")
    label = raw.get("display")
    active = raw.get("active")
    if not isinstance(label, str) or not label.strip() or not isinstance(active, bool):
        raise ValueSetFormatError(f"entry {code[:64]!r} needs a display text and active: bool")
    return Entry(
        code=code,
        label=label.strip()[:300],
        system=str(raw.get("system") or "")[:200],
        version=str(raw.get("version") or "")[:200],
        active=active,
    )
