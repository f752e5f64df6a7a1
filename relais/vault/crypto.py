"""Seal and open single values: the API for code that is not a model field.

``encrypt_value``/``decrypt_value`` take a ``Context`` (pharmacy, record type, field,
record id, period). The period chooses the DEK when sealing; opening finds the DEK from
the token's header and checks it belongs to the same pharmacy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from relais.vault.codec import Plain, decode_value, encode_value
from relais.vault.envelope import (
    FORMAT_VERSION,
    KEY_ID_LENGTH,
    KEY_ID_OFFSET,
    Context,
    header_key_id,
    joined_associated_data,
    length_prefixed,
    name_part,
    open_token,
    open_with,
    seal,
    token_key_id,
    well_formed,
)
from relais.vault.errors import DecryptionError
from relais.vault.keystore import OpenKey, cached_key, key_for_decryption, key_for_encryption

__all__ = ["Context", "RecordBinding", "decrypt_field", "decrypt_value", "encrypt_value"]


def encrypt_value(ctx: Context, value: Plain) -> bytes:
    key = key_for_encryption(ctx.pharmacy_id, ctx.period)
    return seal(key.aead, key.key_id, ctx, encode_value(value))


def decrypt_value(ctx: Context, token: bytes) -> Plain:
    """Open a token sealed for exactly this context, or raise DecryptionError."""
    key_id = token_key_id(ctx, token)
    key = key_for_decryption(ctx, key_id)
    payload = open_token(key.aead, ctx, token, key_id)
    try:
        return decode_value(payload)
    except ValueError:
        raise ctx.fail("plaintext encoding is not recognised") from None


@dataclass(slots=True)
class RecordBinding:
    """What the associated data of every field of one record shares, encoded once; and the
    DEK its last field was opened with (a record's fields share one, held no longer than
    the record's plaintexts)."""

    pharmacy_id: int
    owner: bytes  # length-prefixed pharmacy id, then record type
    record_id: bytes  # length-prefixed record id
    key_id: bytes = b""
    key: OpenKey | None = None

    @classmethod
    def of(cls, pharmacy_id: int, record_type: str, record_id: str) -> RecordBinding:
        owner = length_prefixed(str(pharmacy_id)) + name_part(record_type)
        return cls(pharmacy_id, owner, length_prefixed(record_id))

    def __reduce__(self) -> tuple[type[RecordBinding], tuple[int, bytes, bytes]]:
        """A copied or pickled record (its instance dict) never carries the DEK."""
        return (RecordBinding, (self.pharmacy_id, self.owner, self.record_id))

    def open_key(self, token: bytes) -> OpenKey | None:
        """The DEK a well-formed token names, if this process holds it open for the
        record's pharmacy; else None."""
        if not well_formed(token):
            return None
        key_id = bytes(token[KEY_ID_OFFSET : KEY_ID_OFFSET + KEY_ID_LENGTH])
        if key_id == self.key_id:
            return self.key
        key = cached_key(header_key_id(key_id))
        if key is None or key.pharmacy_id != self.pharmacy_id:
            return None
        self.key_id, self.key = key_id, key
        return key


def decrypt_field(
    record: RecordBinding, field: str, token: bytes, context: Callable[[], Context]
) -> Plain:
    """`decrypt_value` for one of many fields of a record, the same bytes authenticated.

    Opened here when the token names a DEK this process holds open for the record's
    pharmacy (the steady state); anything else — a key to fetch, a malformed token,
    another pharmacy's key — goes through `decrypt_value` with the full `context()`, so
    every refusal is the same, with the same message.
    """
    key = record.open_key(token)
    if key is None:
        return decrypt_value(context(), token)
    ad = joined_associated_data(
        FORMAT_VERSION, record.key_id, record.owner, name_part(field), record.record_id
    )
    payload = open_with(key.aead, token, ad, lambda reason: _fail(context, reason))
    try:
        return decode_value(payload)
    except ValueError:
        raise context().fail("plaintext encoding is not recognised") from None


def _fail(context: Callable[[], Context], reason: str) -> DecryptionError:
    return context().fail(reason)
