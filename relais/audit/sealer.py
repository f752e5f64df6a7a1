"""The sealer: appends committed audit events to the Merkle log and signs a checkpoint.

Leaf order is *seal order*, not id order: a PostgreSQL sequence hands out ids before the
transactions commit, so event 41 may commit after event 42 was sealed. Each run therefore
selects events that are not sealed yet — among ids above the highest sealed id minus a
safety window — rather than "ids above the last one". One sealer at a time: the run locks
the ``SealerState`` row (and a PostgreSQL advisory lock, so a second sealer skips instead
of waiting). Every batch is one transaction: seals, new accumulator state and the signed
checkpoint commit together, so a crash leaves events unsealed, never lost or half-sealed.
Leaves are the database's rendering of each event (``leaves.event_text_sql``), the very
bytes ``relais audit verify`` recomputes.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from relais.audit.checkpoint import Checkpoint, Signer, sign_checkpoint
from relais.audit.leaves import (
    EVENT_COLUMNS,
    as_utf8_bytes,
    event_text_sql,
    for_django_cursor,
    leaf_from_event_bytes,
)
from relais.audit.merkle import MerkleAccumulator
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, SealerState
from relais.audit.signing import load_signer, origin, publish_checkpoint

logger = logging.getLogger("relais.audit")

_ADVISORY_LOCK_KEY = 0x52454C414953  # "RELAIS": one sealer cluster-wide
DEFAULT_BATCH = 5000
# Ids below (highest sealed id - window) are assumed committed or abandoned long ago.
DEFAULT_ID_WINDOW = 100_000

# Called with the rows of every sealed batch (alerts hook in here, see alerts.py).
BatchHook = Callable[[list[tuple[object, ...]]], None]
BATCH_HOOKS: list[BatchHook] = []


@dataclass(frozen=True, slots=True)
class SealedBatch:
    size: int
    count: int
    signed_note: str


def seal_pending(budget_seconds: float | None = None) -> int:
    """Seal every committed, unsealed event; return how many were sealed.

    With a budget (the worker job), stop after the batch that exhausts it: the next run
    goes on. A worker relays between its jobs, and sealing a backlog of 100,000 events at
    once held one worker for ~7 s, which every submission in that time waited out.
    """
    signer = load_signer()
    batch_size = int(getattr(settings, "RELAIS_AUDIT_SEAL_BATCH", DEFAULT_BATCH))
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    total = 0
    while True:
        sealed = seal_batch(signer, batch_size)
        if sealed is None or sealed.count == 0:
            return total
        total += sealed.count
        publish_checkpoint(sealed.size, sealed.signed_note)
        if sealed.count < batch_size:
            return total
        if deadline is not None and time.monotonic() >= deadline:
            return total


def seal_for_a_while() -> int:
    """The worker job: seal for at most RELAIS_AUDIT_SEAL_BUDGET_MS per run."""
    return seal_pending(budget_seconds=int(settings.RELAIS_AUDIT_SEAL_BUDGET_MS) / 1000)


def seal_batch(signer: Signer, batch_size: int = DEFAULT_BATCH) -> SealedBatch | None:
    """One transaction: lock, append up to ``batch_size`` events, sign. None if locked."""
    with transaction.atomic():
        state = _lock_state()
        if state is None:
            return None
        tree = MerkleAccumulator.from_state(state.accumulator or {"size": 0, "stack": []})
        if tree.size != state.size:
            raise RuntimeError("sealer state is inconsistent; run `relais audit verify`")
        rows = _unsealed_rows(batch_size)
        if not rows:
            return SealedBatch(tree.size, 0, "")
        _append(tree, rows)
        note = _checkpoint(tree, signer)
        state.size, state.accumulator = tree.size, tree.to_state()
        state.updated_at = timezone.now()
        state.save()
        if BATCH_HOOKS:
            events = [row[:-1] for row in rows]
            for hook in BATCH_HOOKS:
                hook(events)
    return SealedBatch(tree.size, len(rows), note)


def _lock_state() -> SealerState | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
    # On SQLite this UPDATE takes the database write lock for the whole transaction.
    if not SealerState.objects.filter(pk=1).update(updated_at=timezone.now()):
        SealerState.objects.create(pk=1, size=0, accumulator={"size": 0, "stack": []})
    return SealerState.objects.select_for_update().get(pk=1)


def _unsealed_rows(limit: int) -> list[tuple[object, ...]]:
    """Unsealed committed events: the ``EVENT_COLUMNS`` values, then their field bytes as
    the database renders them for the leaf (the verifier's very expression)."""
    window = int(getattr(settings, "RELAIS_AUDIT_SEAL_ID_WINDOW", DEFAULT_ID_WINDOW))
    highest = AuditSeal.objects.aggregate(highest=Max("event_id"))["highest"] or 0
    # NOT EXISTS, not NOT IN: PostgreSQL turns it into a hash anti-join, whereas a NOT IN
    # subquery too big for work_mem is re-scanned for every candidate row.
    sealed = AuditSeal.objects.filter(event_id=OuterRef("id"))
    vendor = connection.vendor
    fields = for_django_cursor(
        as_utf8_bytes(vendor, event_text_sql(vendor, AuditEvent._meta.db_table))
    )
    return list(
        AuditEvent.objects.filter(id__gt=highest - window)
        .exclude(Exists(sealed))
        .annotate(leaf_fields=RawSQL(fields, ()))  # noqa: S611 - built from constants only
        .order_by("id")
        .values_list(*EVENT_COLUMNS, "leaf_fields")[:limit]
    )


def _append(tree: MerkleAccumulator, rows: list[tuple[object, ...]]) -> None:
    start, sha256 = tree.size, hashlib.sha256
    hashes = [
        sha256(b"\x00" + leaf_from_event_bytes(position, bytes(cast("bytes", row[-1])))).digest()
        for position, row in enumerate(rows, start)
    ]
    tree.extend(hashes)
    # executemany, not bulk_create: model instances cost more than the hashing here.
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO audit_auditseal (position, event_id, leaf_hash, purged) "
            "VALUES (%s, %s, %s, %s)",
            [
                (position, int(str(row[0])), hashed, False)
                for position, (row, hashed) in enumerate(zip(rows, hashes, strict=True), start)
            ],
        )


def _checkpoint(tree: MerkleAccumulator, signer: Signer) -> str:
    root = tree.root()
    note = sign_checkpoint(Checkpoint(origin(), tree.size, root), signer)
    AuditCheckpoint.objects.create(
        size=tree.size, root_hash=root, signed_note=note, created_at=timezone.now()
    )
    return note
