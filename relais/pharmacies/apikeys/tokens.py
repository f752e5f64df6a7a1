"""The API key format: `rls_live_<prefix>_<secret>`, and how a key is stored and checked.

The secret is 256 bits from the OS CSPRNG, so the key is stored as its SHA-256 digest and
nothing slower: Argon2 and friends exist to make guessing *low-entropy* passwords costly,
while no amount of guessing finds a 2^256 secret — a fast digest loses nothing and keeps
every API request cheap. The prefix (40 random bits, shown in the UI and in logs) finds the
row; the digest comparison is constant-time so timing tells nothing about the secret.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import constant_time, hashes

KEY_PREFIX = "rls_live_"
PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
PREFIX_LENGTH = 8
SECRET_BYTES = 32
_KEY_SHAPE = re.compile(r"rls_live_([a-z2-7]{8})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True, repr=False)
class IssuedKey:
    """A new key: the plaintext exists only here, to be shown once."""

    prefix: str
    plaintext: str
    digest: bytes

    def __repr__(self) -> str:
        return f"IssuedKey({KEY_PREFIX}{self.prefix}_…)"


def new_key() -> IssuedKey:
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    plaintext = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return IssuedKey(prefix, plaintext, digest_of(plaintext))


def digest_of(plaintext: str) -> bytes:
    hasher = hashes.Hash(hashes.SHA256())
    hasher.update(plaintext.encode("ascii"))
    return hasher.finalize()


def parse_key(presented: str) -> str | None:
    """The prefix of a well-formed key, or None (then no database lookup is made)."""
    match = _KEY_SHAPE.fullmatch(presented)
    return match.group(1) if match else None


def matches(presented: str, stored_digest: bytes | memoryview) -> bool:
    return constant_time.bytes_eq(digest_of(presented), bytes(stored_digest))


def display(prefix: str) -> str:
    """How a key is named on screen and in logs: its prefix only."""
    return f"{KEY_PREFIX}{prefix}_…"
