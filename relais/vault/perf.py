"""Micro-benchmark of the per-record cost of encryption at rest.

``measure_record_crypto(n)`` seals and opens ``n`` screening records of 12 personal fields
(identity, contact, NIR, result, symptoms, onset, notes) through the same code the model
fields use (codec → AES-256-GCM with associated data → codec), with the DEK fetched from the
in-process key cache for every field as in steady state. Database and key-provider round
trips are excluded: they happen once per key and cache lifetime, not per record.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from typing import Any

from relais.vault.cache import TtlLru
from relais.vault.codec import decode_value, encode_value
from relais.vault.envelope import Context, open_token, seal

RECORD: dict[str, Any] = {
    "last_name": "Dupont-Lefèvre",
    "first_names": "Jeanne Marie",
    "sex": "F",
    "birth_date": dt.date(1984, 7, 14),
    "nir": "284077510812345",
    "email": "jeanne.dupont@example.org",
    "phone": "+33612345678",
    "address": "12 rue de la République, 69002 Lyon",
    "result": "negative",
    "symptoms": {"fever": False, "cough": True, "anosmia": False},
    "onset_date": dt.date(2022, 1, 10),
    "notes": "Patient asymptomatique, contact à risque.",
}


def measure_record_crypto(n: int = 10_000) -> dict[str, float]:
    """µs per record to encrypt, decrypt, and both, for ``n`` records of 12 fields."""
    key_id = uuid.uuid4()
    cache: TtlLru[uuid.UUID, bytes] = TtlLru(max_entries=16, ttl=300)
    cache.put(key_id, os.urandom(32))
    record_ids = [str(uuid.uuid4()) for _ in range(n)]
    sealed: list[list[tuple[Context, bytes]]] = []

    started = time.perf_counter()
    for record_id in record_ids:
        row = []
        for field, value in RECORD.items():
            ctx = Context(42, "screening.Patient", field, record_id, "2022-01")
            dek = cache.get(key_id)
            assert dek is not None  # noqa: S101 - put above
            row.append((ctx, seal(dek, key_id, ctx, encode_value(value))))
        sealed.append(row)
    encrypted = time.perf_counter()
    for row in sealed:
        for ctx, token in row:
            dek = cache.get(key_id)
            assert dek is not None  # noqa: S101
            decode_value(open_token(dek, ctx, token))
    decrypted = time.perf_counter()

    per = 1e6 / n
    return {
        "records": float(n),
        "fields_per_record": float(len(RECORD)),
        "encrypt_us_per_record": (encrypted - started) * per,
        "decrypt_us_per_record": (decrypted - encrypted) * per,
        "total_us_per_record": (decrypted - started) * per,
    }
