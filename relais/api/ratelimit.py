"""Per-key fixed-window rate limit, counted in the database (shared by every process).

One `INSERT … ON CONFLICT DO UPDATE … RETURNING` per request (PostgreSQL and SQLite ≥ 3.35
both speak it), in its own short transaction: never inside the request's transaction, where
the counter row's lock would serialise every request of the key. On PostgreSQL that
transaction skips waiting for the WAL flush: losing a few counts in a crash is harmless.
Outside any transaction (a request's authentication), PostgreSQL gets both statements in
one round trip: a multi-statement query is its own transaction, where SET LOCAL holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from relais.api.models import ApiRateCounter

_TABLE = ApiRateCounter._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (key_id, window_start, hits) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (key_id, window_start) DO UPDATE SET hits = {_TABLE}.hits + 1 "
    "RETURNING hits"
)
_FORGET = f"DELETE FROM {_TABLE} WHERE key_id = %s AND window_start < %s"  # noqa: S608
_NO_FLUSH = "SET LOCAL synchronous_commit TO OFF"
KEEP_SECONDS = 86400


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def limits() -> tuple[int, int]:
    return int(settings.RELAIS_API_RATE_LIMIT), int(settings.RELAIS_API_RATE_WINDOW_SECONDS)


def hit(key_id: int, now: float | None = None) -> Verdict:
    """Count one request of `key_id`; whether it is within the limit of its window."""
    limit, window = limits()
    moment = time.time() if now is None else now
    start = int(moment) - int(moment) % window
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        hits = _count_in_one_round_trip(key_id, start)
    else:
        hits = _count(key_id, start)
    if hits == 1:  # first request of a window: forget this key's old windows
        with connection.cursor() as cursor:
            cursor.execute(_FORGET, [key_id, start - KEEP_SECONDS])
    retry_after = max(1, int(start + window - moment + 0.999))
    return Verdict(hits <= limit, limit, max(0, limit - hits), retry_after)


def _count_in_one_round_trip(key_id: int, start: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"{_NO_FLUSH}; {_UPSERT}", [key_id, start])
        raw = cursor.cursor
        while raw.description is None and raw.nextset():
            pass
        return int(raw.fetchone()[0])


def _count(key_id: int, start: int) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_NO_FLUSH)
        cursor.execute(_UPSERT, [key_id, start])
        return int(cursor.fetchone()[0])
