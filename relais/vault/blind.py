"""Blind indexes: equality search over encrypted values without decrypting them.

``blind_index(pharmacy_id, kind, normalized)`` = HMAC-SHA256 under the pharmacy's
blind-index key (derived in the key provider, separate from every DEK), over a
length-prefixed (kind, value) pair, truncated to 16 bytes (128 bits). The kind is in the
MAC input, so an email index never matches an NIR index; the pharmacy's key differs, so
indexes never join across pharmacies. Normalising the value is the caller's job.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from typing import Any

from django.db import models

from relais.vault.cache import TtlLru
from relais.vault.providers import get_provider

INDEX_LENGTH = 16

_keys: TtlLru[int, bytes] = TtlLru(max_entries=4096, ttl=3600)


def blind_index(pharmacy_id: int, kind: str, normalized: str) -> bytes:
    key = _keys.get(pharmacy_id)
    if key is None:
        key = get_provider().blind_index_key(pharmacy_id)
        _keys.put(pharmacy_id, key)
    message = bytearray()
    for part in (kind, normalized):
        raw = part.encode("utf-8")
        message += struct.pack(">I", len(raw)) + raw
    return hmac.new(key, bytes(message), hashlib.sha256).digest()[:INDEX_LENGTH]


def clear_blind_index_cache() -> None:
    _keys.clear()


class BlindIndexField(models.BinaryField):  # type: ignore[type-arg]
    """A 16-byte blind-index column, indexed, not editable; recognised by the guard test."""

    description = "HMAC blind index of a personal-data value"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", INDEX_LENGTH)
        kwargs.setdefault("null", True)
        kwargs.setdefault("db_index", True)
        super().__init__(**kwargs)

    def deconstruct(self) -> Any:
        # Always spelled out: the constructor's default is True, so an omitted db_index
        # (Django omits False, its own default) would silently turn back into an index.
        name, path, args, kwargs = super().deconstruct()
        kwargs["db_index"] = self.db_index  # type: ignore[attr-defined]
        return name, path, args, kwargs
