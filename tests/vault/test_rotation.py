"""KEK and DEK rotation, and resumable re-encryption of rows under retired keys."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from relais.vault import fields as vault_fields
from relais.vault.keyops import key_status, reencrypt, rotate_dek, rotate_kek
from relais.vault.keystore import clear_key_cache
from relais.vault.models import DataKey, KeyStatus
from relais.vault.providers import FileKeyProvider, reset_provider
from relais.vault.reencryption import rows_under_keys

from .conftest import audit_actions
from .probe import VaultProbe
from .test_fields import make


def names(pks: list[uuid.UUID]) -> list[str]:
    clear_key_cache()
    return [VaultProbe.objects.get(pk=pk).last_name for pk in pks]


def retired_ids() -> list[uuid.UUID]:
    return list(DataKey.objects.filter(status=KeyStatus.RETIRED).values_list("id", flat=True))


@pytest.mark.django_db
def test_rotating_keks_keeps_every_record_readable_and_destroys_the_old_kek(
    probe_model: type[VaultProbe], keyring: FileKeyProvider
) -> None:
    pks = [make(pharmacy_id=p, last_name=f"Nom{p}").pk for p in (1, 2)]
    old_kek = DataKey.objects.first().kek_id  # type: ignore[union-attr]

    rotated = rotate_kek()

    reset_provider(FileKeyProvider(keyring.path))  # as a fresh process would
    assert names(pks) == ["Nom1", "Nom2"]
    new_kek = next(iter(rotated.values()))
    assert new_kek.endswith("-v2")
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {new_kek}
    assert not keyring.has_kek(old_kek)
    assert any(details.get("operation") == "kek_rotated" for _, details in audit_actions())


@pytest.mark.django_db
def test_new_writes_after_dek_rotation_use_the_new_key(probe_model: type[VaultProbe]) -> None:
    old = make()
    period = DataKey.objects.get().period
    new_key_id = rotate_dek(1, period)
    newer = make()
    assert rows_under_keys(VaultProbe, [new_key_id]).get().pk == newer.pk
    assert rows_under_keys(VaultProbe, retired_ids()).get().pk == old.pk


@pytest.mark.django_db
def test_reencryption_moves_every_row_off_retired_keys(probe_model: type[VaultProbe]) -> None:
    pks = [make(last_name=f"Nom{i}").pk for i in range(7)]
    rotate_dek(1, DataKey.objects.get().period)

    report = reencrypt(batch_size=3, models_=[VaultProbe])

    assert report.total == 7
    assert not rows_under_keys(VaultProbe, retired_ids()).exists()
    assert names(pks) == [f"Nom{i}" for i in range(7)]
    (row,) = [r for r in key_status([VaultProbe]) if r.status == KeyStatus.RETIRED]
    assert row.rows == 0


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_reencryption_resumes_without_loss_or_double_encryption(
    probe_model_tx: type[VaultProbe], monkeypatch: pytest.MonkeyPatch
) -> None:
    pks = [make(last_name=f"Nom{i}").pk for i in range(25)]
    rotate_dek(1, DataKey.objects.get().period)
    real_encrypt = vault_fields.encrypt_value
    calls = {"n": 0}

    def crash_in_second_batch(ctx: object, value: object) -> bytes:
        calls["n"] += 1
        if calls["n"] == 7 * 10 + 5:  # 7 fields a row: mid-way through batch 2
            raise RuntimeError("power cut")
        return real_encrypt(ctx, value)  # type: ignore[arg-type]

    monkeypatch.setattr(vault_fields, "encrypt_value", crash_in_second_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        reencrypt(batch_size=10, models_=[VaultProbe])
    assert rows_under_keys(VaultProbe, retired_ids()).count() == 15  # batch 2 rolled back

    monkeypatch.setattr(vault_fields, "encrypt_value", real_encrypt)
    assert reencrypt(batch_size=10, models_=[VaultProbe]).total == 15
    assert reencrypt(batch_size=10, models_=[VaultProbe]).total == 0
    assert names(pks) == [f"Nom{i}" for i in range(25)]


def retrying[T](operation: Callable[[], T]) -> T:
    """SQLite's shared in-memory test database answers "table is locked" instead of waiting;
    retry like a busy writer would. PostgreSQL (DATABASE_URL) never needs it."""
    for _ in range(200):
        try:
            return operation()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_rotation_and_reencryption_while_another_thread_writes(
    probe_model_tx: type[VaultProbe],
) -> None:
    first = make(last_name="Avant")
    period = DataKey.objects.get().period
    written: list[uuid.UUID] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            while not stop.is_set() and len(written) < 300:
                label = f"Pendant{len(written)}"
                written.append(retrying(lambda label=label: make(last_name=label)).pk)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(written) < 5:
        time.sleep(0.005)
    retrying(lambda: rotate_dek(1, period))
    retrying(lambda: reencrypt(batch_size=5, models_=[VaultProbe]))
    stop.set()
    thread.join()
    reencrypt(batch_size=5, models_=[VaultProbe])  # rows sealed with a just-retired key

    new_key = DataKey.objects.get(status=KeyStatus.ACTIVE)
    assert rows_under_keys(VaultProbe, [new_key.id]).count() == len(written) + 1
    assert not rows_under_keys(VaultProbe, retired_ids()).exists()
    assert names([first.pk, *written]) == ["Avant"] + [f"Pendant{i}" for i in range(len(written))]


def test_a_record_whose_fields_are_under_two_deks_reads_back_whole(
    probe_model: type[VaultProbe],
) -> None:
    probe = make()
    rotate_dek(1, DataKey.objects.get().period)
    half = VaultProbe.objects.get(pk=probe.pk)
    half.first_names = "Jeanne"  # resealed under the new DEK; the other fields keep the old
    half.save()
    loaded = VaultProbe.objects.get(pk=probe.pk)
    keys = {bytes(loaded.__dict__[name].token[1:17]) for name in ("last_name", "first_names")}
    assert len(keys) == 2
    assert (loaded.last_name, loaded.first_names, loaded.result) == ("Dupont", "Jeanne", "positive")
