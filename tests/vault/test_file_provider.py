"""The keyring file: created 0600, refused when missing or readable by others, atomic."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from relais.vault.errors import KeyProviderError
from relais.vault.providers import FileKeyProvider

DEK = os.urandom(32)


def test_init_creates_a_keyring_only_its_owner_can_read(tmp_path: Path) -> None:
    provider = FileKeyProvider(tmp_path / "fresh" / "keyring.json")
    assert provider.initialise() is True
    assert stat.S_IMODE(provider.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(provider.path.parent.stat().st_mode) == 0o700
    assert provider.initialise() is False  # idempotent, never overwrites keys


def test_a_keyring_readable_by_others_is_refused_with_the_fix(tmp_path: Path) -> None:
    provider = FileKeyProvider(tmp_path / "keyring.json")
    provider.initialise()
    provider.path.chmod(0o644)
    fresh = FileKeyProvider(provider.path)
    with pytest.raises(KeyProviderError, match="chmod 600"):
        fresh.list_keks()
    assert fresh.problems() and "chmod 600" in fresh.problems()[0]


def test_a_missing_keyring_tells_the_operator_to_run_init(tmp_path: Path) -> None:
    provider = FileKeyProvider(tmp_path / "absent.json")
    with pytest.raises(KeyProviderError, match="relais keys init"):
        provider.wrap("kek-2025-01-v1", DEK)


def test_a_wrapped_dek_unwraps_only_under_its_own_kek(keyring: FileKeyProvider) -> None:
    keyring.create_kek("kek-2025-01-v1")
    keyring.create_kek("kek-2025-02-v1")
    wrapped = keyring.wrap("kek-2025-01-v1", DEK)
    assert DEK not in wrapped
    assert keyring.unwrap("kek-2025-01-v1", wrapped) == DEK
    with pytest.raises(KeyProviderError):
        keyring.unwrap("kek-2025-02-v1", wrapped)


def test_a_destroyed_kek_can_no_longer_unwrap(keyring: FileKeyProvider) -> None:
    keyring.create_kek("kek-2025-01-v1")
    wrapped = keyring.wrap("kek-2025-01-v1", DEK)
    keyring.destroy_kek("kek-2025-01-v1")
    assert not keyring.has_kek("kek-2025-01-v1")
    assert "kek-2025-01-v1" not in keyring.path.read_text()
    with pytest.raises(KeyProviderError, match="not in the keyring"):
        FileKeyProvider(keyring.path).unwrap("kek-2025-01-v1", wrapped)


def test_writes_leave_no_temporary_file_behind(keyring: FileKeyProvider) -> None:
    keyring.create_kek("kek-2025-01-v1")
    leftovers = [p.name for p in keyring.path.parent.iterdir() if p.name.startswith(".keyring")]
    assert leftovers == []
    assert stat.S_IMODE(keyring.path.stat().st_mode) == 0o600


def test_concurrent_kek_creations_from_two_processes_lose_none(keyring: FileKeyProvider) -> None:
    other = FileKeyProvider(keyring.path)  # a second process: its own in-memory copy
    ids = [f"kek-2024-{month:02d}-v1" for month in range(1, 13)]

    def create(provider: FileKeyProvider, kek_ids: list[str]) -> None:
        for kek_id in kek_ids:
            provider.create_kek(kek_id)

    threads = [
        threading.Thread(target=create, args=(keyring, ids[::2])),
        threading.Thread(target=create, args=(other, ids[1::2])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert FileKeyProvider(keyring.path).list_keks() == sorted(ids)


def test_blind_index_keys_differ_per_pharmacy_and_are_stable(keyring: FileKeyProvider) -> None:
    assert keyring.blind_index_key(1) == FileKeyProvider(keyring.path).blind_index_key(1)
    assert keyring.blind_index_key(1) != keyring.blind_index_key(2)
