"""`Idempotency-Key`: the first answer to a POST is replayed for the same key and body.

The record is inserted at the start of the request's own transaction and completed at its
end, so on PostgreSQL a concurrent twin blocks on the unique index until the first commits,
then replays its answer (or, if the first rolled back, does the work itself). Only
successful answers are kept — a 422 rolls the record back, so a fixed body may be resent
under the same key. The body is compared as an HMAC under the pharmacy's blind-index key
(it holds personal data: never a bare hash), and the stored answer is the creation
response — ids, statuses, outcome codes — never a submitted value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from relais.api.models import IdempotencyRecord
from relais.core.fielderrors import FieldError
from relais.http.problems import ApiProblem
from relais.vault.blind import blind_index

_KEY_SHAPE = re.compile(r"[\x21-\x7e]{1,255}")
HASH_KIND = "api_idempotency"
_TABLE = IdempotencyRecord._meta.db_table
# Plain statements, no savepoint: a taken key is a skipped row, not an error to recover.
_CLAIM = (
    f"INSERT INTO {_TABLE} (pharmacy_id, key, request_hash, response_status, "  # noqa: S608
    "response_body, created_at) VALUES (%s, %s, %s, 0, '{}', %s) "
    "ON CONFLICT (pharmacy_id, key) DO NOTHING RETURNING id"
)
_COMPLETE = f"UPDATE {_TABLE} SET response_status = %s, response_body = %s WHERE id = %s"  # noqa: S608


@dataclass(frozen=True, slots=True)
class Claim:
    record_id: int | None
    replay: tuple[int, dict[str, Any]] | None = None


def lifetime() -> timedelta:
    return timedelta(hours=int(settings.RELAIS_API_IDEMPOTENCY_HOURS))


def claim(pharmacy_id: int, key: str | None, operation: str, raw_body: bytes) -> Claim:
    """Reserve `key` for this request, or the answer to replay. Call inside a transaction."""
    if key is None:
        return Claim(None)
    if not _KEY_SHAPE.fullmatch(key):
        raise ApiProblem(
            "validation",
            errors=[FieldError("Idempotency-Key", "idempotency_key.invalid", {"max": 255})],
        )
    digest = blind_index(pharmacy_id, HASH_KIND, operation + "\n" + raw_body.decode("utf-8"))
    now = timezone.now()
    for _attempt in range(2):
        record_id = _insert(pharmacy_id, key, digest, now)
        if record_id is not None:
            return Claim(record_id)
        existing = IdempotencyRecord.objects.filter(pharmacy_id=pharmacy_id, key=key).first()
        if existing is None:
            continue
        if existing.created_at <= now - lifetime():
            existing.delete()
            continue
        return Claim(None, _replay_of(existing, digest))
    raise ApiProblem("idempotency-in-progress")


def _insert(pharmacy_id: int, key: str, digest: bytes, now: Any) -> int | None:
    """The new record's id; None when the key is taken. A twin still running holds its
    row: the INSERT waits for it to commit or roll back, then skips or inserts."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [pharmacy_id, key, digest, _prep("created_at", now)])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _replay_of(existing: IdempotencyRecord, digest: bytes) -> tuple[int, dict[str, Any]]:
    if bytes(existing.request_hash) != digest:
        raise ApiProblem("idempotency-conflict")
    if existing.response_status == 0:
        raise ApiProblem("idempotency-in-progress")
    return existing.response_status, dict(existing.response_body)


def complete(claimed: Claim, status: int, body: dict[str, Any]) -> None:
    """Store the answer (ids and statuses only) in the request's transaction."""
    if claimed.record_id is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(_COMPLETE, [status, _prep("response_body", body), claimed.record_id])


def _prep(name: str, value: Any) -> Any:
    field = cast("models.Field[Any, Any]", IdempotencyRecord._meta.get_field(name))
    return field.get_db_prep_save(value, connection)


def purge_expired(now: Any) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - lifetime()).delete()
    return deleted
