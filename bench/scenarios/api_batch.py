"""Batch API: records per second through ``POST /api/v1/screenings/batch`` (target ≥ 2,000/s).

Batches of 1,000 screenings, two clients back to back; counted are the items the API
reports as ``created``. Limit: psycopg inserts of 1,000 rows per transaction.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios import _api

TITLE = "API batch"
BATCH_SIZE = 1000


def available() -> str | None:
    return _api.api_unavailable()


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    api = _api.target(ctx)
    _api.probe(ctx, api, batch_size=10)
    report = _api.load(
        ctx,
        api,
        mode="closed",
        seconds=10.0 if quick else 40.0,
        batch_size=BATCH_SIZE,
        concurrency=2,
    )
    ctx.shared.setdefault("latencies", {})["API batch of 1,000"] = report["latency_ms"]
    note = f"{report['requests']} batches of {BATCH_SIZE}. {_api.errors_note(report)}"
    return [
        Figure(
            TITLE,
            "records per second",
            report["records_per_s"],
            "records/s",
            higher_is_better=True,
            target=2000.0,
            limit=ctx.limit("pg_batch_rows"),
            note=note.strip(),
        ),
        Figure(
            TITLE,
            "p99 latency of a 1,000-record batch",
            report["latency_ms"]["p99"],
            "ms",
            higher_is_better=False,
        ),
    ]
