"""The token format: one AES-256-GCM ciphertext bound to its record, field and pharmacy.

Layout (bytes)::

    0x01 (format version) | DEK id (16-byte UUID) | nonce (12 random bytes) | ciphertext+tag

The DEK id sits in clear in the header so that rotation can find rows still sealed under a
retired key with a plain SQL substring, without decrypting anything.

Associated data is a canonical, length-prefixed encoding of (format version, DEK id,
pharmacy id, record type, field name, record id): a token copied to another row, field or pharmacy
fails authentication. The period is *not* in the associated data: it is implied by the
DEK, and the DEK is found from the header.

Nonces are 96 random bits from ``os.urandom``. NIST SP 800-38D bounds random-nonce GCM to
2**32 encryptions per key (collision probability below 2**-32). DEKs are per pharmacy and
per month and can be rotated, so a key seals a few million values at the very most: a
pharmacy sealing 10,000 screenings a day of 15 fields each for 31 days, re-encrypted
twice, stays under 2**24.
"""

from __future__ import annotations

import functools
import os
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from relais.vault.errors import DecryptionError

FORMAT_VERSION = 1
KEY_ID_OFFSET = 1
KEY_ID_LENGTH = 16
NONCE_LENGTH = 12
TAG_LENGTH = 16
HEADER_LENGTH = KEY_ID_OFFSET + KEY_ID_LENGTH + NONCE_LENGTH
DEK_LENGTH = 32
_AD_PREFIX = b"relais-vault"
_LENGTH = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a value lives: the associated data of its token, and the period choosing its DEK."""

    pharmacy_id: int
    record_type: str
    field: str
    record_id: str
    period: str

    def fail(self, reason: str) -> DecryptionError:
        return DecryptionError(self.record_type, self.record_id, self.field, reason)


def associated_data(ctx: Context, key_id: uuid.UUID, version: int = FORMAT_VERSION) -> bytes:
    """Length-prefix every part so that no two different contexts encode alike.

    The whole header (version, DEK id) is authenticated too: a flipped header bit fails
    here even if it happened to name another usable key.
    """
    owner = length_prefixed(str(ctx.pharmacy_id)) + name_part(ctx.record_type)
    return joined_associated_data(
        version, key_id.bytes, owner, name_part(ctx.field), length_prefixed(ctx.record_id)
    )


def joined_associated_data(
    version: int, key_id: bytes, owner: bytes, field: bytes, record_id: bytes
) -> bytes:
    """`associated_data` from its parts already encoded (`owner`: pharmacy id then record
    type), for a caller opening many fields of one record."""
    return b"".join((_AD_PREFIX, bytes((version,)), key_id, owner, field, record_id))


def length_prefixed(part: str) -> bytes:
    raw = part.encode("utf-8")
    return _LENGTH.pack(len(raw)) + raw


# Record types and field names are a few dozen strings: each is encoded once.
name_part = functools.lru_cache(maxsize=1024)(length_prefixed)


def _aead(dek: bytes | AESGCM) -> AESGCM:
    """A caller holding an open key passes its ready AESGCM (built once per key)."""
    return dek if isinstance(dek, AESGCM) else AESGCM(dek)


def seal(dek: bytes | AESGCM, key_id: uuid.UUID, ctx: Context, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_LENGTH)
    body = _aead(dek).encrypt(nonce, plaintext, associated_data(ctx, key_id))
    return bytes([FORMAT_VERSION]) + key_id.bytes + nonce + body


def token_key_id(ctx: Context, token: bytes) -> uuid.UUID:
    """Read the DEK id from a token's header (no key needed)."""
    if len(token) < HEADER_LENGTH + TAG_LENGTH:
        raise ctx.fail("token is truncated")
    if token[0] != FORMAT_VERSION:
        raise ctx.fail(f"unknown token format {token[0]}")
    return header_key_id(bytes(token[KEY_ID_OFFSET : KEY_ID_OFFSET + KEY_ID_LENGTH]))


# A process sees a few DEK ids, each in thousands of tokens: one UUID object per id.
header_key_id = functools.lru_cache(maxsize=4096)(lambda raw: uuid.UUID(bytes=raw))


def well_formed(token: bytes) -> bool:
    """Whether a token's header can be read (`token_key_id` says why not, if not)."""
    return len(token) >= HEADER_LENGTH + TAG_LENGTH and token[0] == FORMAT_VERSION


def open_token(
    dek: bytes | AESGCM, ctx: Context, token: bytes, key_id: uuid.UUID | None = None
) -> bytes:
    """Authenticate and decrypt, or raise DecryptionError naming the record and field.

    `key_id` is the header's DEK id when the caller already read it (`token_key_id`).
    """
    if key_id is None:
        key_id = token_key_id(ctx, token)
    return open_with(_aead(dek), token, associated_data(ctx, key_id), ctx.fail)


def open_with(
    aead: AESGCM, token: bytes, ad: bytes, fail: Callable[[str], DecryptionError]
) -> bytes:
    """Authenticate and decrypt a well-formed token with its associated data `ad`."""
    nonce = bytes(token[KEY_ID_OFFSET + KEY_ID_LENGTH : HEADER_LENGTH])
    body = bytes(token[HEADER_LENGTH:])
    try:
        return aead.decrypt(nonce, body, ad)
    except InvalidTag:
        raise fail(
            "authentication failed (tampered, wrong key, or copied from another record/field)"
        ) from None
