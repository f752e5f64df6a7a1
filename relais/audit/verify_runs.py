"""Reading the audit log from PostgreSQL in runs of seal positions, for ``verification``.

One query per run of ``RUN`` positions renders and hashes every leaf in the database and
returns three concatenations (positions, stored leaf hashes, recomputed hashes), which
``verification`` checks; ``RunFetcher`` runs those queries on ``workers`` connections at
once, all on one exported snapshot, and hands the rows back in order.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from relais.audit.leaves import leaf_sql

RUN = 16_384  # seal positions per query (about 1 MB of hashes on the wire)
DEFAULT_WORKERS = 2
_LOOKAHEAD = 4  # runs fetched ahead of the tree, per worker (bounded memory)
_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f-]+")

# (count, missing, highest missing position, well-sized stored hashes, positions, stored
# hashes, recomputed hashes) of one run of positions.
RunRow = tuple[int, int, int | None, int, bytes, bytes, bytes]
# Nested-loop index lookups in position order: no hash table over the whole event table,
# no sort spilling to disk, no JIT compilation for a 30,000-row query.
_RUN_PLANNER = {"enable_hashjoin": "off", "enable_mergejoin": "off", "jit": "off"}


def run_query() -> str:
    """One run of positions ``[%s, %s)``: see the module docstring."""
    leaf = leaf_sql("postgresql", "s.position", "e")
    return (
        "SELECT count(*), count(*) FILTER (WHERE missing), "  # noqa: S608 - no input
        "max(position) FILTER (WHERE missing), "
        "count(*) FILTER (WHERE octet_length(stored) = 32), "
        "string_agg(int8send(position), ''::bytea), string_agg(stored, ''::bytea), "
        "string_agg(computed, ''::bytea) FROM ("
        "SELECT s.position, s.leaf_hash AS stored, e.id IS NULL AS missing, "
        "CASE WHEN e.id IS NULL THEN s.leaf_hash "
        f"ELSE pg_catalog.sha256('\\x00'::bytea || {leaf}) END AS computed "
        "FROM audit_auditseal s LEFT JOIN audit_auditevent e ON e.id = s.event_id "
        "WHERE s.position >= %s AND s.position < %s ORDER BY s.position) AS run"
    )


def detail_query() -> str:
    """The rows of one run, leaf bytes included, for the record-by-record check."""
    leaf = leaf_sql("postgresql", "s.position", "e")
    return (
        f"SELECT s.position, s.leaf_hash, {leaf} FROM audit_auditseal s "  # noqa: S608 - no input
        "LEFT JOIN audit_auditevent e ON e.id = s.event_id "
        "WHERE s.position >= %s AND s.position < %s ORDER BY s.position"
    )


def position_ranges(cursor: Any) -> list[tuple[int, int]]:
    """Half-open runs covering every stored seal position (a negative one included)."""
    cursor.execute("SELECT min(position), max(position) FROM audit_auditseal")
    lowest, highest = cursor.fetchone()
    if highest is None:
        return []
    ranges = [(int(lowest), 0)] if lowest < 0 else []
    end = int(highest) + 1
    ranges += [(start, min(start + RUN, end)) for start in range(0, end, RUN)]
    return ranges


def binary_cursor(raw: Any) -> Any:
    """A server-side-binding cursor returning binary values (bytea as bytes, no hex), whatever
    cursor class Django installed as the connection's default (a client-side one)."""
    import psycopg  # PostgreSQL only; SQLite installs need not have it

    cursor = psycopg.Cursor(raw)
    cursor.format = psycopg.pq.Format.BINARY
    return cursor


@contextmanager
def planner(cursor: Any) -> Iterator[None]:
    """Transaction-local planner settings, restored after (the caller's transaction goes on)."""
    previous = {}
    for name, value in _RUN_PLANNER.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", (name, name, value))
        previous[name] = cursor.fetchone()[0]
    try:
        yield
    finally:
        with suppress(Exception):
            for name, value in previous.items():
                cursor.execute("SELECT set_config(%s, %s, true)", (name, value))


def sequential_runs(raw: Any, ranges: list[tuple[int, int]]) -> Iterator[tuple[int, int, RunRow]]:
    with binary_cursor(raw) as cursor:
        for start, end in ranges:
            cursor.execute(run_query(), (start, end))
            yield start, end, cursor.fetchone()


class RunFetcher:
    """``workers`` threads, one connection each on the exported snapshot, fetch runs ahead
    of the consumer (at most ``_LOOKAHEAD`` per worker); results come back in order."""

    def __init__(self, ranges: list[tuple[int, int]], snapshot: str, workers: int) -> None:
        if not _SNAPSHOT_ID.fullmatch(snapshot):
            raise ValueError("unexpected snapshot identifier")
        self.ranges, self.snapshot = ranges, snapshot
        self.ready: dict[int, RunRow] = {}
        self.error: BaseException | None = None
        self.claimed = self.consumed = 0
        self.stopped = False
        self.limit = _LOOKAHEAD * workers
        self.condition = threading.Condition()
        self.threads = [
            threading.Thread(target=self._work, name=f"relais-audit-verify-{index}", daemon=True)
            for index in range(workers)
        ]

    def __iter__(self) -> Iterator[tuple[int, int, RunRow]]:
        for thread in self.threads:
            thread.start()
        try:
            for index, (start, end) in enumerate(self.ranges):
                with self.condition:
                    while index not in self.ready and self.error is None:
                        self.condition.wait()
                    if index not in self.ready:
                        raise DatabaseError(f"a verifying connection failed: {self.error!r}")
                    row = self.ready.pop(index)
                    self.consumed = index + 1
                    self.condition.notify_all()
                yield start, end, row
        finally:
            with self.condition:
                self.stopped = True
                self.condition.notify_all()
            for thread in self.threads:
                thread.join()

    def _claim(self) -> int | None:
        with self.condition:
            while not self.stopped and self.claimed - self.consumed >= self.limit:
                self.condition.wait()
            if self.stopped or self.error is not None or self.claimed >= len(self.ranges):
                return None
            self.claimed += 1
            return self.claimed - 1

    def _work(self) -> None:
        wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            wrapper.ensure_connection()
            raw: Any = wrapper.connection
            raw.autocommit = True
            with binary_cursor(raw) as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{self.snapshot}'")
                for name, value in {**_RUN_PLANNER, "max_parallel_workers_per_gather": "0"}.items():
                    cursor.execute("SELECT set_config(%s, %s, true)", (name, value))
                while (index := self._claim()) is not None:
                    cursor.execute(run_query(), self.ranges[index])
                    row = cursor.fetchone()
                    with self.condition:
                        self.ready[index] = row
                        self.condition.notify_all()
        except BaseException as error:  # reported by the consumer, as a read failure
            with self.condition:
                self.error = error
                self.condition.notify_all()
        finally:
            with suppress(Exception):
                wrapper.close()


def workers() -> int:
    return max(1, int(getattr(settings, "RELAIS_AUDIT_VERIFY_WORKERS", DEFAULT_WORKERS)))
