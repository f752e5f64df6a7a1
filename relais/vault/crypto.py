"""Seal and open single values: the API for code that is not a model field.

``encrypt_value``/``decrypt_value`` take a ``Context`` (pharmacy, record type, field,
record id, period). The period chooses the DEK when sealing; opening finds the DEK from
the token's header and checks it belongs to the same pharmacy.
"""

from __future__ import annotations

from relais.vault.codec import Plain, decode_value, encode_value
from relais.vault.envelope import Context, open_token, seal, token_key_id
from relais.vault.keystore import key_for_decryption, key_for_encryption

__all__ = ["Context", "decrypt_value", "encrypt_value"]


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
