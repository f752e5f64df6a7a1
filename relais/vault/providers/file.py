"""The keyring-file provider (demo and development).

A JSON file outside the database directory holds the KEKs and the blind-index master.
It is written atomically (temp file in the same directory, mode 0600, ``os.replace``) under
an exclusive ``flock`` so that two processes creating a period's KEK never lose one, and
it is refused when its permissions are wider than 0600.

Limits, on purpose documented rather than hidden: crypto-shredding with this provider is
only as good as the handling of the keyring's own copies. Keep it out of database backups;
production uses the PKCS#11 provider, where KEKs never leave the HSM.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from relais.vault.errors import KeyProviderError
from relais.vault.providers.base import derive_blind_index_key, wrap_associated_data

KEYRING_FORMAT = 1
_NONCE = 12


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


class FileKeyProvider:
    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._keyring: dict[str, Any] | None = None

    # -- lifecycle -------------------------------------------------------------------
    def initialise(self) -> bool:
        if self.path.exists():
            self._load()
            return False
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._locked():
            if self.path.exists():
                return False
            keyring = {
                "format": KEYRING_FORMAT,
                "created_at": dt.datetime.now(tz=dt.UTC).isoformat(),
                "blind_index_master": _b64(os.urandom(32)),
                "keks": {},
            }
            self._write(keyring)
        return True

    def close(self) -> None:
        """Nothing to close: the keyring is read into memory, no handle stays open."""

    def problems(self) -> list[str]:
        try:
            self._load(force=True)
        except KeyProviderError as exc:
            return [str(exc)]
        return []

    # -- KEKs ------------------------------------------------------------------------
    def create_kek(self, kek_id: str) -> None:
        with self._locked():
            keyring = self._read()
            if kek_id in keyring["keks"]:
                raise KeyProviderError(f"KEK {kek_id} already exists in the keyring")
            keyring["keks"][kek_id] = {
                "key": _b64(AESGCM.generate_key(bit_length=256)),
                "created_at": dt.datetime.now(tz=dt.UTC).isoformat(),
            }
            self._write(keyring)

    def destroy_kek(self, kek_id: str) -> None:
        with self._locked():
            keyring = self._read()
            if keyring["keks"].pop(kek_id, None) is not None:
                self._write(keyring)

    def list_keks(self) -> list[str]:
        return sorted(self._load(force=True)["keks"])

    def has_kek(self, kek_id: str) -> bool:
        return kek_id in self._load()["keks"] or kek_id in self._load(force=True)["keks"]

    def wrap(self, kek_id: str, dek: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self._kek(kek_id)).encrypt(nonce, dek, wrap_associated_data(kek_id))

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        kek = self._kek(kek_id)
        try:
            return AESGCM(kek).decrypt(
                wrapped[:_NONCE], wrapped[_NONCE:], wrap_associated_data(kek_id)
            )
        except InvalidTag:
            raise KeyProviderError(f"wrapped key does not open under {kek_id}") from None

    def blind_index_key(self, pharmacy_id: int) -> bytes:
        master = _unb64(self._load()["blind_index_master"])
        return derive_blind_index_key(master, pharmacy_id)

    # -- internals -------------------------------------------------------------------
    def _kek(self, kek_id: str) -> bytes:
        keks = self._load()["keks"]
        if kek_id not in keks:
            keks = self._load(force=True)["keks"]  # another process may have created it
        if kek_id not in keks:
            raise KeyProviderError(f"KEK {kek_id} is not in the keyring (destroyed or never made)")
        return _unb64(keks[kek_id]["key"])

    def _load(self, *, force: bool = False) -> dict[str, Any]:
        if self._keyring is None or force:
            self._keyring = self._read()
        return self._keyring

    def _read(self) -> dict[str, Any]:
        self._check_permissions()
        try:
            keyring: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeyProviderError(f"keyring {self.path} cannot be read: {exc}") from None
        if keyring.get("format") != KEYRING_FORMAT or "keks" not in keyring:
            raise KeyProviderError(f"keyring {self.path} is not a Relais keyring")
        return keyring

    def _check_permissions(self) -> None:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            raise KeyProviderError(
                f"keyring {self.path} does not exist: run `relais keys init`"
            ) from None
        except OSError as exc:
            raise KeyProviderError(f"keyring {self.path} is unreadable: {exc.strerror}") from None
        if stat.S_IMODE(mode) & 0o077:
            raise KeyProviderError(
                f"keyring {self.path} is readable by others "
                f"(mode {stat.S_IMODE(mode):o}): run `chmod 600 {self.path}`"
            )

    def _write(self, keyring: dict[str, Any]) -> None:
        """Atomic replace: a crash leaves either the old or the new keyring, never half."""
        fd, tmp = tempfile.mkstemp(prefix=".keyring-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(keyring, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._keyring = keyring

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
