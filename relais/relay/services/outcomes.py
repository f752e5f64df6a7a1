"""Recording what happened to a claimed batch: one transaction, one lease check.

Only rows still leased by the recording worker are updated: if this worker's lease expired
and another worker took the rows over, that worker's (newer) outcome wins and ours is
dropped. Audit events are written per batch, per pharmacy and kind of outcome.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from django.db import connection
from django.db.models import Field, JSONField
from django.utils import timezone

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.rows import execute_bound
from relais.core.services import service
from relais.relay import circuit
from relais.relay.circuit import CircuitSettings
from relais.relay.models import Transmission, TransmissionStatus
from relais.relay.policy import RetryPolicy

logger = logging.getLogger("relais.relay")

OutcomeKind = Literal["acknowledged", "rejected", "retry", "dead"]
UPDATED_FIELDS: Final = [
    "status",
    "lease_owner",
    "lease_expires_at",
    "next_attempt_at",
    "last_error",
    "platform_reference",
    "reasons",
    "acknowledged_at",
    "updated_at",
]
EVENT_OF: Final = {
    TransmissionStatus.ACKNOWLEDGED: AuditAction.TRANSMISSION_ACKNOWLEDGED,
    TransmissionStatus.REJECTED: AuditAction.TRANSMISSION_REJECTED,
    TransmissionStatus.DEAD: AuditAction.TRANSMISSION_DEAD,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    transmission_id: int
    kind: OutcomeKind
    reference: str = ""
    reasons: tuple[str, ...] = ()
    error: str = ""
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class Platform:
    """How the platform behaved for the circuit breaker: answered, failed, or not asked."""

    answered: bool | None
    retry_after: float | None = None


def _require_system(actor: Actor) -> None:
    """Only the worker (the SYSTEM actor) records delivery outcomes."""
    if actor.kind != "system":
        raise AccessDeniedError(actor, Action.RELAY_MONITOR, None)


@service
def record_outcomes(
    actor: Actor,
    lease_owner: str,
    destination: str,
    outcomes: Sequence[Outcome],
    platform: Platform,
    *,
    policy: RetryPolicy | None = None,
    circuit_settings: CircuitSettings | None = None,
    claimed: Mapping[int, Transmission] | None = None,
) -> Counter[str]:
    """Settle a claimed batch; returns counts per resulting status (and "lost").

    `claimed`: the rows as the worker loaded them right after claiming (their attempt count
    is the claim's). On PostgreSQL they spare re-reading the batch: the lease check is the
    UPDATE's own WHERE clause, and RETURNING says which rows were still ours.
    """
    _require_system(actor)
    now = timezone.now()
    policy = policy or RetryPolicy.from_settings()
    ids = [outcome.transmission_id for outcome in outcomes]
    if claimed is not None and connection.vendor == "postgresql":
        rows = {pk: claimed[pk] for pk in ids if pk in claimed}
    else:
        rows = _owned_rows(lease_owner, ids)
    changed = []
    for outcome in outcomes:
        row = rows.get(outcome.transmission_id)
        if row is not None:
            _apply(row, outcome, now, policy)
            changed.append(row)
    written = _write(changed, lease_owner)
    changed = [row for row in changed if row.pk in written]
    _update_circuit(destination, now, platform, circuit_settings)
    counts = Counter(str(row.status) for row in changed)
    counts["lost"] = len(outcomes) - len(changed)
    if counts["lost"]:
        logger.warning(
            "lease %s lost %d transmissions to another worker", lease_owner, counts["lost"]
        )
    _audit(actor, changed, destination)
    return counts


def _owned_rows(lease_owner: str, ids: list[int]) -> dict[int, Transmission]:
    rows = Transmission.objects.select_for_update().filter(
        id__in=ids, lease_owner=lease_owner, status=TransmissionStatus.SENDING
    )
    return {row.pk: row for row in rows}


def _write(rows: list[Transmission], lease_owner: str) -> set[int]:
    """Write the settled rows still leased to `lease_owner`; returns the ids written.

    Django's bulk_update builds a CASE expression per field and row, which costs more than
    the delivery itself at 200 rows. PostgreSQL takes every row in one
    ``UPDATE … FROM unnest(arrays)`` — one array parameter per column, so the statement
    text stays the same small string whatever the batch size (a VALUES list of thousands of
    placeholders costs more to render than to run). Other databases get one parameterised
    UPDATE per row, sent with executemany, after ``_owned_rows`` locked and checked them.
    The lease is checked in the WHERE clause: under PostgreSQL's READ COMMITTED, a row
    another worker took over meanwhile no longer matches and is left alone.
    """
    if not rows:
        return set()
    meta = Transmission._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in UPDATED_FIELDS]
    if connection.vendor == "postgresql":
        return _update_from_arrays(fields, rows, lease_owner)
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        for row in rows
    ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.attname)} = %s" for field in fields)
    # Identifiers come from the model's own metadata; every value is a parameter.
    table, where = quote(meta.db_table), f"{quote('id')} = %s AND {quote('lease_owner')} = %s"
    sql = f"UPDATE {table} SET {assignments} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [[*values, row.pk, lease_owner] for row, values in zip(rows, params, strict=True)]
        )
    return {row.pk for row in rows}


def _column(field: Field[Any, Any], rows: list[Transmission]) -> tuple[str, list[Any]]:
    """(SQL type of the array, values) of one updated column; JSON travels as text."""
    values = [getattr(row, field.attname) for row in rows]
    if isinstance(field, JSONField):
        return "text", [json.dumps(value, ensure_ascii=False) for value in values]
    return field.db_type(connection) or "text", values


def _update_from_arrays(
    fields: list[Field[Any, Any]], rows: list[Transmission], lease_owner: str
) -> set[int]:
    """One ``UPDATE … FROM unnest(…)`` for `rows` (PostgreSQL); every value a parameter."""
    quote = connection.ops.quote_name
    columns = [("bigint", [row.pk for row in rows]), *(_column(f, rows) for f in fields)]
    names = ["id", *(field.attname for field in fields)]
    casts = {field.attname: field.db_type(connection) for field in fields}
    # Identifiers and casts come from the model's own metadata; every value is a parameter.
    arrays = ", ".join(f"%s::{cast}[]" for cast, _ in columns)
    assignments = ", ".join(f"{quote(name)} = v.{quote(name)}::{casts[name]}" for name in names[1:])
    sql = (
        f"UPDATE {quote(Transmission._meta.db_table)} AS t SET {assignments} "  # noqa: S608
        f"FROM unnest({arrays}) AS v({', '.join(quote(name) for name in names)}) "
        f"WHERE t.{quote('id')} = v.{quote('id')} AND t.{quote('lease_owner')} = %s "
        f"AND t.{quote('status')} = %s RETURNING t.{quote('id')}"
    )
    params = [values for _, values in columns]
    written = execute_bound(sql, [*params, lease_owner, TransmissionStatus.SENDING.value])
    return {pk for (pk,) in written}


def _apply(row: Transmission, outcome: Outcome, now: datetime, policy: RetryPolicy) -> None:
    row.lease_owner, row.lease_expires_at, row.updated_at = "", None, now
    if outcome.kind == "acknowledged":
        row.status = TransmissionStatus.ACKNOWLEDGED
        row.platform_reference, row.acknowledged_at = outcome.reference, now
        row.reasons, row.last_error = [], ""
    elif outcome.kind == "rejected":
        row.status, row.reasons = TransmissionStatus.REJECTED, list(outcome.reasons)
        row.last_error = outcome.error
    elif outcome.kind == "dead" or policy.exhausted(row.attempts):
        row.status, row.last_error = TransmissionStatus.DEAD, outcome.error[:200]
    else:
        row.status, row.last_error = TransmissionStatus.RETRYING, outcome.error[:200]
        delay = policy.delay(row.attempts, outcome.retry_after)
        row.next_attempt_at = now + timedelta(seconds=delay)


def _update_circuit(
    destination: str, now: datetime, platform: Platform, config: CircuitSettings | None
) -> None:
    if platform.answered is True:
        circuit.record_success(destination, now)
    elif platform.answered is False:
        config = config or CircuitSettings.from_settings()
        state = circuit.record_failure(destination, now, config, platform.retry_after)
        if state == "open":
            logger.warning("circuit of %s is open", destination)


def _audit(actor: Actor, rows: list[Transmission], destination: str) -> None:
    by_pharmacy: dict[int, list[Transmission]] = defaultdict(list)
    for row in rows:
        by_pharmacy[row.pharmacy_id].append(row)
    for pharmacy_id, group in by_pharmacy.items():
        statuses = Counter(str(row.status) for row in group)
        _event(AuditAction.TRANSMISSION_ATTEMPTED, actor, pharmacy_id, group, statuses)
        for status, action in EVENT_OF.items():
            settled = [row for row in group if row.status == status]
            if settled:
                _event(action, actor, pharmacy_id, settled, {"destination": destination})
    dead = sum(1 for row in rows if row.status == TransmissionStatus.DEAD)
    if dead:
        logger.error("%d transmissions to %s are dead: operator action needed", dead, destination)
        record_event(
            AuditAction.ALERT_RAISED,
            actor=actor,
            object_type="transmission",
            object_ids=[row.pk for row in rows if row.status == TransmissionStatus.DEAD],
            outcome="alert",
            details={"alert": "transmissions_dead", "count": dead, "destination": destination},
        )
    if not rows:
        # Nothing of this batch was still ours: the attempt itself is still on record.
        record_event(
            AuditAction.TRANSMISSION_ATTEMPTED,
            actor=actor,
            object_type="transmission",
            outcome="lease_lost",
            details={"destination": destination},
        )


def _event(
    action: AuditAction,
    actor: Actor,
    pharmacy_id: int,
    rows: list[Transmission],
    details: dict[str, int] | dict[str, str] | Counter[str],
) -> None:
    record_event(
        action,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="transmission",
        object_ids=[row.pk for row in rows],
        details=dict(details),
    )
