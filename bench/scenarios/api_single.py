"""Single-submission API: throughput (target ≥ 500/s) and p99 latency at 100 req/s (≤ 100 ms).

Each request records one screening through ``POST /api/v1/screenings``: validated,
encrypted, audited, committed and queued for relay. Limits: psycopg single-row
transactions (same concurrency as the server's threads) and their commit p99.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios import _api

TITLE = "API single submission"


def available() -> str | None:
    return _api.api_unavailable()


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    api = _api.target(ctx)
    _api.probe(ctx, api)
    seconds = 8.0 if quick else 30.0
    concurrency = 2 * ctx.stack.server.workers * ctx.stack.server.threads
    closed = _api.load(ctx, api, mode="closed", seconds=seconds, concurrency=concurrency)
    paced = _api.load(ctx, api, mode="rate", seconds=seconds, rate=100.0)
    ctx.shared.setdefault("latencies", {})["API single @100/s"] = paced["latency_ms"]
    ctx.shared["latencies"]["API single, saturated"] = closed["latency_ms"]
    setup = f"{ctx.stack.server.describe()}; {concurrency} clients"
    return [
        Figure(
            TITLE,
            "submissions per second (saturated)",
            closed["records_per_s"],
            "req/s",
            higher_is_better=True,
            target=500.0,
            limit=ctx.limit("pg_single_tps"),
            note=" ".join(filter(None, [setup, _api.errors_note(closed)])),
        ),
        Figure(
            TITLE,
            "p99 latency at 100 req/s",
            paced["latency_ms"]["p99"],
            "ms",
            higher_is_better=False,
            target=100.0,
            limit=ctx.limit("pg_single_p99_ms"),
            note=_api.errors_note(paced),
            disqualified=_api.errors_note(paced),
        ),
        Figure(
            TITLE,
            "p50 latency at 100 req/s",
            paced["latency_ms"]["p50"],
            "ms",
            higher_is_better=False,
        ),
    ]
