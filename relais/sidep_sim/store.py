"""The platform's memory of what it was sent: one acknowledgement per message id.

This is what makes the relay's at-least-once delivery an exactly-once effect: a message
id seen before is answered with the acknowledgement stored the first time (same outcome,
same reference) and never stored twice. Kept in memory, mirrored to SQLite when a state
file is given so a restarted simulator still recognises redeliveries.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Outcome = Literal["accepted", "rejected"]

_SCHEMA = """
create table if not exists acknowledgement (
    message_id text primary key,
    outcome text not null,
    reference text,
    reasons text not null
)
"""


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The platform's answer to one message."""

    message_id: str
    outcome: Outcome
    reference: str | None
    reasons: tuple[str, ...] = ()
    duplicate: bool = False

    def as_json(self) -> dict[str, object]:
        """The JSON shape of one acknowledgement in every simulator response."""
        return {
            "message_id": self.message_id,
            "outcome": self.outcome,
            "reference": self.reference,
            "reasons": list(self.reasons),
            "duplicate": self.duplicate,
        }


@dataclass(slots=True)
class AcknowledgementStore:
    """Acknowledgements by message id, in memory and optionally in SQLite."""

    path: Path | None = None
    _acks: dict[str, Acknowledgement] = field(default_factory=dict)
    _db: sqlite3.Connection | None = None
    # Kept as acknowledgements are added: GET /sim/stats is polled every few milliseconds
    # by the benchmark and must not walk the whole store each time.
    _counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if self.path is None:
            return
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute(_SCHEMA)
        for message_id, outcome, reference, reasons in self._db.execute(
            "select message_id, outcome, reference, reasons from acknowledgement"
        ):
            self._acks[message_id] = Acknowledgement(
                message_id, outcome, reference, tuple(json.loads(reasons))
            )
            self._counts[outcome] += 1

    def get(self, message_id: str) -> Acknowledgement | None:
        """The acknowledgement stored for `message_id`, if it was seen before."""
        return self._acks.get(message_id)

    def add_all(self, acks: list[Acknowledgement]) -> None:
        """Store new acknowledgements: one SQLite transaction per request, durable first."""
        if self._db is not None and acks:
            rows = [(a.message_id, a.outcome, a.reference, json.dumps(a.reasons)) for a in acks]
            with self._db:
                self._db.execute("begin")
                self._db.executemany(
                    "insert or ignore into acknowledgement values (?, ?, ?, ?)", rows
                )
        for ack in acks:
            if ack.message_id not in self._acks:
                self._acks[ack.message_id] = ack
                self._counts[ack.outcome] += 1

    def count(self, outcome: Outcome) -> int:
        """How many distinct messages ended with `outcome`."""
        return self._counts[outcome]

    def clear(self) -> None:
        """Forget everything (POST /sim/reset)."""
        self._acks.clear()
        self._counts.clear()
        if self._db is not None:
            self._db.execute("delete from acknowledgement")

    def close(self) -> None:
        """Close the SQLite file, if any."""
        if self._db is not None:
            self._db.close()
            self._db = None
