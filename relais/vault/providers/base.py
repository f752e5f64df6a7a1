"""The contract every key provider fulfils.

A provider holds the key-encryption keys (one per period and version) and the blind-index
master secret *outside the database*. Key material never leaves it except as the output of
``unwrap`` (a DEK, kept in process memory only) and ``blind_index_key`` (a per-pharmacy
HMAC key, likewise).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Protocol, runtime_checkable

BLIND_INDEX_MASTER_LABEL = "relais-blind-index-master"


def blind_index_label(pharmacy_id: int) -> bytes:
    """The derivation input of a pharmacy's blind-index key (HMAC-SHA256 as a PRF/KDF).

    Both providers compute HMAC-SHA256(master, label): the file provider in process, the
    HSM with CKM_SHA256_HMAC on a non-extractable secret. The same master therefore yields
    the same per-pharmacy keys whatever holds it.
    """
    return f"relais/blind-index/v1/pharmacy/{int(pharmacy_id)}".encode("ascii")


def derive_blind_index_key(master: bytes, pharmacy_id: int) -> bytes:
    return hmac.new(master, blind_index_label(pharmacy_id), hashlib.sha256).digest()


def wrap_associated_data(kek_id: str) -> bytes:
    """Bind a wrapped DEK to the KEK it claims: unwrapping under another id fails."""
    return b"relais-kek-wrap:" + kek_id.encode("ascii")


@runtime_checkable
class KeyProvider(Protocol):
    name: str

    def wrap(self, kek_id: str, dek: bytes) -> bytes: ...

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes: ...

    def create_kek(self, kek_id: str) -> None: ...

    def destroy_kek(self, kek_id: str) -> None: ...

    def list_keks(self) -> list[str]: ...

    def has_kek(self, kek_id: str) -> bool: ...

    def blind_index_key(self, pharmacy_id: int) -> bytes: ...

    def initialise(self) -> bool:
        """Create what the provider needs (keyring, blind-index master); True if created."""
        ...

    def problems(self) -> list[str]:
        """Why the provider cannot serve right now (empty when healthy)."""
        ...

    def close(self) -> None:
        """Release what the provider holds open (an HSM session); it may reopen later."""
        ...
