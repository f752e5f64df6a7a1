"""Crypto-shredding: a key still in use is refused; once a period is past retention its
keys go, and a database backup taken before can no longer be decrypted."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from relais.access.actors import SYSTEM
from relais.privacy.runner import purge
from relais.privacy.shredding import retention_guard, shred_expired_periods
from relais.screening.models import Patient, ScreeningVersion
from relais.vault.errors import DecryptionError, DestroyedKeyError, VaultError
from relais.vault.fields import encrypted_fields, models_with_encrypted_fields
from relais.vault.keyops import destroy_period
from relais.vault.keystore import clear_key_cache
from tests.conftest import Personas, make_personas
from tests.privacy.helpers import ACK, PERIOD, Clock, record, settle


@pytest.mark.django_db
def test_destroying_the_keys_of_a_period_still_in_use_is_refused(
    personas: Personas, clock: Clock
) -> None:
    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, ACK, clock.now())

    with pytest.raises(VaultError, match="refusing to destroy period 2026-03"):
        destroy_period(PERIOD, actor=SYSTEM)
    # Even were the vault's row count fooled (no models given), retention says no.
    with pytest.raises(VaultError, match="not past retention"):
        destroy_period(PERIOD, actor=SYSTEM, models_=[])
    assert Patient.objects.get(pk=screening.patient_id).last_name == "Lefebvre"
    assert shred_expired_periods(SYSTEM).destroyed == []


@pytest.mark.django_db
def test_the_guard_agrees_once_every_record_of_the_period_is_past_retention(
    personas: Personas, clock: Clock
) -> None:
    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, ACK, clock.now())
    assert retention_guard(PERIOD)[0] is False

    purge(clock.now() + dt.timedelta(days=7))
    assert retention_guard(PERIOD) == (True, "")
    assert shred_expired_periods(SYSTEM).destroyed == [f"kek-{PERIOD}-v1"]


def _backup(path: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)


def _restore(path: Path) -> None:
    """Put the dump back in place of the live database, as an operator would, in a fresh
    process: no key cached in memory."""
    connection.ensure_connection()
    with sqlite3.connect(path) as source:
        source.backup(connection.connection)
    clear_key_cache()


def _readable_fields() -> int:
    """How many sealed values of the database can be opened; raises on the first that
    cannot."""
    opened = 0
    for model in models_with_encrypted_fields():
        for row in model.objects.all():
            for field in encrypted_fields(model):
                if row.__dict__.get(field.attname) is not None:
                    getattr(row, field.name)
                    opened += 1
    return opened


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_the_purge_cannot_be_decrypted_once_the_period_is_shredded(
    clock: Clock, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the dump/restore of this test uses SQLite's backup API")
    personas = make_personas()
    screenings = [
        record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now()),
        record(personas["owner_b"].actor, personas.pharmacy_b.pk, 2, clock.now()),
    ]
    for screening in screenings:
        settle(screening, ACK, clock.now())
    dump = tmp_path / "relais-backup.sqlite3"
    _backup(dump)
    later = clock.now() + dt.timedelta(days=8)

    purge(later)
    assert _readable_fields() == 0
    _restore(dump)  # the purge alone does not reach the backup: it still opens
    assert Patient.objects.get(pk=screenings[0].patient_id).last_name == "Lefebvre"

    purge(later)
    assert shred_expired_periods(SYSTEM).destroyed == [f"kek-{PERIOD}-v1"]
    _restore(dump)

    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) == 2
    for patient in patients:
        for name in ("last_name", "nir", "email", "birth_date"):
            with pytest.raises((DecryptionError, DestroyedKeyError)):
                getattr(patient, name)
    version = ScreeningVersion.objects.first()
    assert version is not None
    with pytest.raises((DecryptionError, DestroyedKeyError)):
        _ = version.result
    with pytest.raises((DecryptionError, DestroyedKeyError)):
        _readable_fields()
