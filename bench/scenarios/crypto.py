"""Encryption cost per record: 12 personal fields sealed and opened through the vault's code.

Relais side: ``relais.vault.perf.measure_record_crypto`` (codec → AES-256-GCM with
associated data → codec, DEK from the in-process cache). Limit: bare AES-256-GCM over the
same field sizes.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios._available import missing_attributes

TITLE = "Encryption per record"


def available() -> str | None:
    return missing_attributes("relais.vault.perf", "measure_record_crypto")


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    from relais.vault.perf import measure_record_crypto

    result = measure_record_crypto(5_000 if quick else 20_000)
    limit = ctx.limit("aes_gcm_us")
    return [
        Figure(
            TITLE,
            "encrypt + decrypt one record",
            result["total_us_per_record"],
            "µs/record",
            higher_is_better=False,
            limit=limit,
        ),
        Figure(
            TITLE,
            "encrypt one record",
            result["encrypt_us_per_record"],
            "µs/record",
            higher_is_better=False,
        ),
        Figure(
            TITLE,
            "decrypt one record",
            result["decrypt_us_per_record"],
            "µs/record",
            higher_is_better=False,
        ),
    ]
