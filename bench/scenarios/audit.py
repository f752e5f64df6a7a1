"""Audit verification speed: RFC 9162 leaf hashing, tree building, checkpoint checks.

Relais side: ``relais.audit.perf.measure_verification(n)`` on 1 M synthetic events (quick:
200 k). When the audit app offers a database-backed measurement
(``measure_db_verification``), it runs too: ``relais audit verify`` over 1 M events sealed
in PostgreSQL (quick: 50 k), as issue #9 asks. Limit: bare SHA-256 leaf hashing.
"""

from __future__ import annotations

import importlib

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios._available import missing_attributes

TITLE = "Audit verification"
TARGET_EVENTS_PER_S = 200_000.0


def available() -> str | None:
    return missing_attributes("relais.audit.perf", "measure_verification")


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    perf = importlib.import_module("relais.audit.perf")
    count = 200_000 if quick else 1_000_000
    rate = perf.measure_verification(count)
    limit = ctx.limit("sha256_leaves")
    figures = [
        Figure(
            TITLE,
            f"verify {count:,} events (in memory)",
            rate,
            "events/s",
            higher_is_better=True,
            target=TARGET_EVENTS_PER_S,
            limit=limit,
        ),
    ]
    ctx.stack.setup_django()
    perf_db = importlib.import_module("relais.audit.perf_db")
    db_count = 50_000 if quick else 1_000_000
    measured = perf_db.measure_db_verification(db_count)
    figures.append(
        Figure(
            TITLE,
            f"relais audit verify over {db_count:,} events in PostgreSQL",
            measured.verified_per_second,
            "events/s",
            higher_is_better=True,
            target=TARGET_EVENTS_PER_S,
            limit=limit,
        )
    )
    figures.append(
        Figure(
            TITLE,
            f"sealing {db_count:,} events into the Merkle log (PostgreSQL)",
            measured.sealed_per_second,
            "events/s",
            higher_is_better=True,
        )
    )
    return figures
