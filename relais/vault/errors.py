"""Errors of the vault. Messages name records and fields, never values or key material."""

from __future__ import annotations


class VaultError(Exception):
    """Base class: anything that prevents the vault from sealing or opening data."""


class KeyProviderError(VaultError):
    """The key provider (keyring file, HSM) is missing, misconfigured or refused a request."""


class DestroyedKeyError(VaultError):
    """A key of a crypto-shredded period was requested; its data is gone by design."""


class DecryptionError(VaultError):
    """A token could not be opened for the record and field it claims to belong to.

    Raised for tampering, a token copied from another row/field/pharmacy, a wrong, missing
    or destroyed key: callers never receive garbage or an empty value instead.
    """

    def __init__(self, record_type: str, record_id: str, field: str, reason: str) -> None:
        self.record_type = record_type
        self.record_id = record_id
        self.field = field
        self.reason = reason
        super().__init__(f"cannot decrypt {record_type} {record_id} field {field!r}: {reason}")
