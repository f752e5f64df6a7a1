"""MFA secrets (TOTP keys, recovery-code seeds) sealed by the vault, never stored in clear.

allauth hands its adapter a bare string to encrypt, without the row it belongs to, so the
owner's user id travels in the stored value's prefix and is bound into the ciphertext's
associated data (record type ``accounts.Authenticator``, record id = user id, platform
pharmacy 0): changing the prefix, or pasting the value into another field, fails to open.
The DEK is the platform's of the month of sealing; ``reseal_account_secrets`` moves every
secret to the current month so old months can still be crypto-shredded, and a destroy
guard refuses to shred a month whose key still seals one.
"""

from __future__ import annotations

import base64
import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from relais.vault.crypto import Context, decrypt_value, encrypt_value
from relais.vault.envelope import token_key_id
from relais.vault.periods import current_period

PLATFORM_PHARMACY_ID = 0
RECORD_TYPE = "accounts.Authenticator"
FIELD = "mfa_secret"
PREFIX = "vault1"

_subject: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "relais_mfa_secret_subject", default=None
)


class SecretFormatError(ValueError):
    """A stored MFA secret is not a vault token of ours (tampered or never sealed)."""


@contextmanager
def sealing_for(user_id: object) -> Iterator[None]:
    """Name the account whose secrets are sealed inside the block (no request at hand)."""
    token = _subject.set(str(user_id))
    try:
        yield
    finally:
        _subject.reset(token)


def subject_override() -> str | None:
    return _subject.get()


def _context(user_id: str, period: str) -> Context:
    return Context(PLATFORM_PHARMACY_ID, RECORD_TYPE, FIELD, user_id, period)


def seal_secret(user_id: str, secret: str) -> str:
    token = encrypt_value(_context(user_id, current_period()), secret)
    return f"{PREFIX}:{user_id}:{base64.urlsafe_b64encode(token).decode('ascii')}"


def _split(stored: str) -> tuple[str, bytes]:
    parts = stored.split(":")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit():  # noqa: PLR2004
        raise SecretFormatError("not a sealed MFA secret")
    try:
        return parts[1], base64.urlsafe_b64decode(parts[2].encode("ascii"))
    except ValueError:
        raise SecretFormatError("not a sealed MFA secret") from None


def owner_of(stored: str) -> str:
    return _split(stored)[0]


def open_secret(stored: str) -> str:
    user_id, token = _split(stored)
    value = decrypt_value(_context(user_id, current_period()), token)
    if not isinstance(value, str):
        raise SecretFormatError("a sealed MFA secret must be text")
    return value


def sealed_key_id(stored: str) -> str:
    user_id, token = _split(stored)
    return str(token_key_id(_context(user_id, current_period()), token))
