"""Recording many screenings in a handful of statements (an API batch, or just one).

The rules are those of recording one at a time (`patients`, `recording`): a returning
patient is found through the blind indexes, a duplicate (same patient, test kind and sample
minute) returns the screening already recorded — one recorded earlier in the same call too
— and every new version reaches the outbox hook. Only the number of statements differs: one
query for the candidate patients, one for the duplicates (of returning patients only: a new
patient has none), then the INSERTs — one round trip for a few rows, with the outbox rows the
hook adds; one COPY per table for many — so a thousand screenings cost about what ten did.

Runs inside the caller's transaction and savepoint, with no access check of its own. A
concurrent request may insert the same patient or screening between the queries and the
INSERTs: the unique constraints then raise `IntegrityError` and the caller retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from relais.access.actors import Actor
from relais.core.rows import insert_new, placeholders, select_where, together
from relais.screening import hooks
from relais.screening.kinds import VersionAction
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.screening.patients import (
    PatientIndexes,
    apply_identity,
    candidates_for,
    choose_returning,
    indexes_for,
)
from relais.screening.recording import dedup_key, new_version
from relais.screening.submission import CleanSubmission
from relais.screening.validation import CleanPatient


@dataclass(frozen=True, slots=True, repr=False)
class Entry:
    """One valid submission to record, with the service's idempotency key if any."""

    clean: CleanSubmission
    idempotency: str | None = None
    fingerprint: bytes | None = None

    def __repr__(self) -> str:
        return "Entry(<personal data hidden>)"


@dataclass(frozen=True, slots=True)
class Recorded:
    screening: Screening
    created: bool


def record_all(
    actor: Actor, pharmacy_id: int, entries: Sequence[Entry], *, moment: datetime
) -> list[Recorded]:
    """Record `entries` in order; one `Recorded` per entry."""
    if not entries:  # a batch of invalid items only
        return []
    wanted = [indexes_for(pharmacy_id, e.clean.patient) for e in entries]
    pool = _PatientPool(pharmacy_id, wanted)
    patients = [pool.resolve(e.clean.patient, idx) for e, idx in zip(entries, wanted, strict=True)]
    keys = [
        dedup_key(pharmacy_id, patient.pk, e.clean.test.kind, e.clean.test.sampled_at)
        for e, patient in zip(entries, patients, strict=True)
    ]
    known = _duplicates(pharmacy_id, keys, patients, pool)
    recorded: list[Recorded] = []
    screenings: list[Screening] = []
    versions: list[ScreeningVersion] = []
    for entry, patient, key in zip(entries, patients, keys, strict=True):
        found = known.get(key)
        if found is not None:
            recorded.append(Recorded(found, created=False))
            continue
        screening = Screening(
            pharmacy_id=pharmacy_id,
            patient=patient,
            kind=entry.clean.test.kind,
            dedup_key=key,
            idempotency_key=entry.idempotency,
            request_fingerprint=entry.fingerprint,
            external_ref=entry.clean.external_ref,
            created_at=moment,
            created_by=actor.label,
        )
        known[key] = screening
        screenings.append(screening)
        versions.append(
            new_version(screening, VersionAction.CREATE, entry.clean.test, actor, at=moment)
        )
        recorded.append(Recorded(screening, created=True))
    with together():  # one round trip with the outbox rows the hook adds
        insert_new(pool.new, screenings, versions)
        hooks.versions_recorded(versions)
    pool.save_changed()
    return recorded


def _duplicates(
    pharmacy_id: int, keys: list[bytes], patients: list[Patient], pool: _PatientPool
) -> dict[bytes, Screening]:
    """Screenings already recorded under `keys`. A patient new to this call has none (its
    id was drawn just now), so only returning patients' keys are looked up."""
    new = {id(patient) for patient in pool.new}
    wanted = sorted({k for k, p in zip(keys, patients, strict=True) if id(p) not in new})
    if not wanted:
        return {}
    where = f"pharmacy_id = %s AND dedup_key IN ({placeholders(wanted)})"
    return {bytes(s.dedup_key): s for s in select_where(Screening, where, [pharmacy_id, *wanted])}


class _PatientPool:
    """The candidate patients of a call, indexed by NIR and identity, plus those it adds.

    Every resolution sees the identity written by the previous ones, exactly as if the
    entries were recorded one after the other.
    """

    def __init__(self, pharmacy_id: int, wanted: list[PatientIndexes]) -> None:
        self.pharmacy_id = pharmacy_id
        self.by_nir: dict[bytes, Patient] = {}
        self.by_identity: dict[bytes, list[Patient]] = {}
        self.new: list[Patient] = []
        self.changed: dict[object, Patient] = {}
        for patient in candidates_for(pharmacy_id, wanted):
            self._index(patient)

    def resolve(self, clean: CleanPatient, idx: PatientIndexes) -> Patient:
        candidates = list(self.by_identity.get(idx.identity, ()))
        if idx.nir is not None and idx.nir in self.by_nir:
            candidates.append(self.by_nir[idx.nir])
        found = choose_returning(candidates, clean, idx)
        record = found if found is not None else Patient(pharmacy_id=self.pharmacy_id)
        if found is not None:
            self._unindex(found)
        apply_identity(record, clean, idx)
        self._index(record)
        if found is None:
            self.new.append(record)
        elif not record._state.adding:
            self.changed[record.pk] = record
        return record

    def save_changed(self) -> None:
        """Write the returning patients' new identity (the new ones are inserted with the
        screenings)."""
        for patient in self.changed.values():
            patient.save()

    def _index(self, patient: Patient) -> None:
        if patient.nir_index is not None:
            self.by_nir[bytes(patient.nir_index)] = patient
        identity = bytes(patient.identity_index or b"")
        self.by_identity.setdefault(identity, []).append(patient)

    def _unindex(self, patient: Patient) -> None:
        if patient.nir_index is not None:
            self.by_nir.pop(bytes(patient.nir_index), None)
        bucket = self.by_identity.get(bytes(patient.identity_index or b""), [])
        if patient in bucket:
            bucket.remove(patient)
