"""``relais audit verify`` over the database: stream the log, recompute, check checkpoints.

Seals and events are read by one query joining them in seal-position order (a server-side
cursor on PostgreSQL), the database rendering each event's leaf from its raw columns (see
``leaves``: no ORM conversion, so a million rows cost one SHA-256 each, not a JSON parse),
and handed in chunks to the pure ``verify_core``, which checks a chunk whose hashes all
match in bulk, against every signed checkpoint found — in the database and in the
external copy, each signature-checked first. A checkpoint whose signature fails is itself
a finding; damage of any kind is reported, never raised.

On PostgreSQL the log is read (``verify_runs``) in runs of ``RUN`` seal positions, each by
one query that also hashes every leaf (``sha256``, built in since PostgreSQL 11) and returns three
concatenations: the positions, the stored leaf hashes and the recomputed ones. Python
checks that a run is exactly the expected positions in order and that the two hash strings
are equal (``verify_core.checked_leaf_hashes``), then builds the tree from the recomputed
hashes and compares every signed checkpoint root; a run that fails any check is read again
row by row (leaf bytes, hashed in Python) so the report names the bad position as before.
The database renders and hashes, as it already rendered; it never decides. Runs are
fetched by ``workers`` connections at once (``RELAIS_AUDIT_VERIFY_WORKERS``, default 2),
all on one exported snapshot, so the verified log is one consistent state; the tree is
built in order in the calling thread.

A sealed event whose row is gone is accepted as *purged* only within what the (sealed,
hence tamper-evident) ``audit.purged`` events declare: at most their total count, at
positions up to their highest purged position. Anything else is a deletion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef

from relais.audit import verify_runs as runs
from relais.audit.actions import AuditAction
from relais.audit.checkpoint import Checkpoint, CheckpointError, parse_signed_checkpoint
from relais.audit.leaves import event_bytes, leaf_from_event_bytes, leaf_sql
from relais.audit.merkle import leaf_hash
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal
from relais.audit.signing import external_checkpoints, origin
from relais.audit.verify_core import (
    CheckedRun,
    VerificationReport,
    check_consistency,
    checked_leaf_hashes,
    verify_log_chunks,
)

CHUNK = 10_000


@dataclass(slots=True)
class PurgeAllowance:
    """What sealed purge events allow to be missing."""

    count: int = 0
    through_position: int = -1
    used: int = 0

    def accepts(self, position: int) -> bool:
        if position <= self.through_position and self.used < self.count:
            self.used += 1
            return True
        return False

    def accepts_all(self, missing: int, highest_position: int) -> bool:
        """``accepts`` for ``missing`` positions at once, all up to ``highest_position``."""
        if highest_position <= self.through_position and self.used + missing <= self.count:
            self.used += missing
            return True
        return False


@dataclass(slots=True)
class SignedCheckpoints:
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load_checkpoints(verifier_key: str, extra_notes: list[str] | None = None) -> SignedCheckpoints:
    """Every checkpoint we can find, signature-checked; bad ones become problems."""
    result = SignedCheckpoints()
    sources: list[tuple[str, str]] = []
    try:
        for size, note in AuditCheckpoint.objects.order_by("size").values_list(
            "size", "signed_note"
        ):
            sources.append((f"database checkpoint of size {size}", note))
    except DatabaseError as error:
        result.problems.append(f"could not read stored checkpoints: {type(error).__name__}")
    for index, note in enumerate([*external_checkpoints(), *(extra_notes or [])]):
        sources.append((f"external checkpoint #{index + 1}", note))
    for label, note in sources:
        try:
            result.checkpoints.append(parse_signed_checkpoint(note, verifier_key, origin=origin()))
        except CheckpointError as error:
            result.problems.append(f"{label} is not validly signed: {error}")
    return result


def purge_allowance() -> PurgeAllowance:
    allowance = PurgeAllowance()
    # Only sealed purge events count: an attacker can add rows, not sealed history.
    purges = AuditEvent.objects.filter(
        action=str(AuditAction.AUDIT_PURGED), id__in=AuditSeal.objects.values("event_id")
    ).values_list("details", flat=True)
    for details in purges:
        if isinstance(details, dict):
            count, through = details.get("count"), details.get("through_position")
            if isinstance(count, int) and isinstance(through, int):
                allowance.count += count
                allowance.through_position = max(allowance.through_position, through)
    return allowance


def _seal_and_leaf_query(vendor: str) -> str:
    """One query: every seal in position order, its stored hash and the event's leaf bytes."""
    leaf = leaf_sql(vendor, "s.position", "e")
    return (
        f"SELECT s.position, s.leaf_hash, {leaf} FROM audit_auditseal s "  # noqa: S608 - no input
        "LEFT JOIN audit_auditevent e ON e.id = s.event_id ORDER BY s.position"
    )


@contextmanager
def _raw_rows() -> Iterator[Callable[[], list[Any]]]:
    """``fetchmany`` over the seal/leaf query, raw values, memory-bounded on both backends.

    PostgreSQL: a named (server-side) cursor in binary mode, so bytea arrives as bytes and
    only CHUNK rows are on the client at a time; it needs the caller's transaction.
    SQLite: a plain cursor steps through the result lazily.
    """
    connection.ensure_connection()
    raw: Any = connection.connection
    vendor = connection.vendor
    if vendor == "postgresql":
        cursor = raw.cursor(name=f"relais_audit_verify_{id(raw)}", binary=True)
        cursor.itersize = CHUNK
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(_seal_and_leaf_query(vendor))
        yield lambda: cursor.fetchmany(CHUNK)
    finally:
        # If the read failed mid-way the transaction is aborted and CLOSE may fail too;
        # verify_core has already reported the failure.
        with suppress(Exception):
            cursor.close()


SealedRecord = tuple[int, bytes | None, bytes]


def stream_chunks(allowance: PurgeAllowance) -> Iterator[list[SealedRecord]]:
    """Chunks of (position, leaf or None if purged, stored leaf hash), in seal order.

    Must run inside a transaction on PostgreSQL (the server-side cursor lives in it).
    """
    with _raw_rows() as fetch:
        while rows := fetch():
            if any(leaf is None for _, _, leaf in rows):
                yield _with_missing(rows, allowance)
            else:
                yield [(position, leaf, stored) for position, stored, leaf in rows]


def _with_missing(rows: list[Any], allowance: PurgeAllowance) -> list[SealedRecord]:
    """A missing event is *purged* within the allowance; otherwise it is left out, and
    ``verify_core`` reports the gap as a deletion at its position."""
    records: list[SealedRecord] = []
    for position, stored, leaf in rows:
        if leaf is not None:
            records.append((position, bytes(leaf), bytes(stored)))
        elif allowance.accepts(position):
            records.append((position, None, bytes(stored)))
    return records


def stream_records(allowance: PurgeAllowance) -> Iterator[SealedRecord]:
    """The same records one by one (for the consistency check and tests)."""
    with transaction.atomic():
        for chunk in stream_chunks(allowance):
            yield from chunk


# --- PostgreSQL: runs checked here (read by ``verify_runs``) --------------------------------


def _as_run(start: int, end: int, row: runs.RunRow, allowance: PurgeAllowance) -> CheckedRun | None:
    """The run as a pre-checked ``CheckedRun``, or None to check it record by record."""
    count, missing, highest_missing, well_sized, positions, stored, computed = row
    if start < 0 or count != end - start or well_sized != count:
        return None
    hashes = checked_leaf_hashes(start, count, positions or b"", stored or b"", computed or b"")
    if hashes is None:
        return None
    if missing and not allowance.accepts_all(missing, int(highest_missing or 0)):
        return None
    return CheckedRun(start, hashes, missing)


def _detailed(raw: Any, start: int, end: int, allowance: PurgeAllowance) -> list[SealedRecord]:
    with runs.binary_cursor(raw) as cursor:
        cursor.execute(runs.detail_query(), (start, end))
        return _with_missing(cursor.fetchall(), allowance)


def postgresql_runs(
    allowance: PurgeAllowance, *, parallel: bool
) -> Iterator[CheckedRun | list[SealedRecord]]:
    """The log as checked runs (records where a run needs a closer look), in seal order.

    Runs inside the caller's transaction; ``parallel`` needs it to be the outermost one,
    at REPEATABLE READ (its snapshot is the one the other connections import).
    """
    connection.ensure_connection()
    raw: Any = connection.connection
    with raw.cursor() as cursor:
        ranges = runs.position_ranges(cursor)
        snapshot = ""
        if parallel and len(ranges) > 1 and runs.workers() > 1:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
    fetched = (
        runs.RunFetcher(ranges, snapshot, runs.workers())
        if snapshot
        else runs.sequential_runs(raw, ranges)
    )
    with (
        runs.binary_cursor(raw) as cursor,
        runs.planner(cursor),
    ):  # for the record-by-record reads too
        for start, end, row in fetched:
            run = _as_run(start, end, row, allowance)
            yield run if run is not None else _detailed(raw, start, end, allowance)


@dataclass(frozen=True, slots=True)
class LogVerification:
    """The core report, plus what only the database can tell (checkpoint signatures,
    unsealed events) and, for a moved event, the exact position of the change."""

    report: VerificationReport
    checkpoint_problems: tuple[str, ...]
    unsealed_events: int
    first_bad_position: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.checkpoint_problems


def verify_database(verifier_key: str, extra_notes: list[str] | None = None) -> LogVerification:
    """Verify the whole stored log; never raises on damage."""
    signed = load_checkpoints(verifier_key, extra_notes)
    try:
        allowance = purge_allowance()
    except DatabaseError:
        allowance = PurgeAllowance()
    report = _verify_stream(allowance, signed.checkpoints)
    position, problem = report.first_bad_position, report.problem
    if position is not None and not report.ok:
        position, problem = _diagnose_move(position, problem)
    return LogVerification(report, tuple(signed.problems), _unsealed_count(), position, problem)


def _verify_stream(allowance: PurgeAllowance, checkpoints: list[Checkpoint]) -> VerificationReport:
    if connection.vendor != "postgresql":
        with transaction.atomic():
            return verify_log_chunks(stream_chunks(allowance), checkpoints)
    # Outermost: one REPEATABLE READ snapshot, shared with the worker connections. Inside
    # someone's transaction (uncommitted rows other connections cannot see): sequential.
    parallel = not connection.in_atomic_block
    with transaction.atomic():
        if parallel:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return verify_log_chunks(postgresql_runs(allowance, parallel=parallel), checkpoints)


def _diagnose_move(position: int, problem: str) -> tuple[int, str]:
    """An event whose leaf fits a *neighbouring* position was moved along with its seal:
    rows were inserted, deleted or reordered next to it. Name where the shift starts."""
    try:
        seal = (
            AuditSeal.objects.filter(position=position).values_list("event_id", "leaf_hash").first()
        )
        found = None if seal is None else event_bytes(seal[0])
        if seal is None or found is None:
            return position, problem
        for neighbour in (position - 1, position + 1):
            leaf = leaf_from_event_bytes(neighbour, found)
            if neighbour >= 0 and leaf_hash(leaf) == bytes(seal[1]):
                start = min(position, neighbour)
                return start, (
                    f"the event at position {position} was sealed at position {neighbour}: "
                    f"events were inserted, deleted or reordered at position {start}"
                )
    except (DatabaseError, TypeError, ValueError, AttributeError):
        pass
    return position, problem


def _unsealed_count() -> int:
    try:
        # NOT EXISTS, not NOT IN: an anti-join, where NOT IN over a million seals too big
        # for work_mem rescans the subquery for every event (hours on 1 M events).
        sealed = AuditSeal.objects.filter(event_id=OuterRef("id"))
        return AuditEvent.objects.exclude(Exists(sealed)).count()
    except DatabaseError:
        return -1


def stored_leaf_hashes() -> list[bytes]:
    """Today's leaf hashes in seal order, recomputed from the events where they still exist."""
    allowance = purge_allowance()
    hashes = []
    for _position, leaf, stored in stream_records(allowance):
        hashes.append(leaf_hash(leaf) if leaf is not None else stored)
    return hashes


def verify_consistency_with(old_note: str, verifier_key: str) -> VerificationReport:
    """Is an external (old) checkpoint a prefix of today's log, with today's latest head?"""
    old = parse_signed_checkpoint(old_note, verifier_key, origin=origin())
    latest = AuditCheckpoint.objects.order_by("-size").values_list("signed_note", flat=True).first()
    if latest is None:
        raise CheckpointError("the database holds no checkpoint to compare with")
    new = parse_signed_checkpoint(latest, verifier_key, origin=origin())
    return check_consistency(old, new, stored_leaf_hashes())
