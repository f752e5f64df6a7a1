"""Single-submission API: throughput (target ≥ 500/s) and p99 latency at 100 req/s (≤ 100 ms).

Each request records one screening through ``POST /api/v1/screenings``: validated,
encrypted, audited, committed and queued for relay. Limits: psycopg single-row
transactions (same concurrency as the server's threads) and their commit p99.
"""

from __future__ import annotations

import os
from typing import Any

from bench import cpu
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
    before = cpu.snapshot()
    closed = _api.load(ctx, api, mode="closed", seconds=seconds, concurrency=concurrency)
    used = cpu.spent(before, cpu.snapshot())
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
        *_cpu_figures(used, closed),
        *_floor(ctx, api, "/healthz", "GET /healthz (no key, no database)", seconds / 2),
        *_floor(
            ctx,
            api,
            f"{_api.API}/valuesets/test-kinds",
            "GET /api/v1/valuesets/test-kinds (key checked, rate-limited, audited)",
            seconds / 2,
        ),
    ]


def _floor(
    ctx: RunContext, api: _api.ApiTarget, path: str, what: str, seconds: float
) -> list[Figure]:
    """The same server, clients and load generator on a request that does (almost) none of
    a submission's work: how far below this the cost of a submission cannot go."""
    concurrency = 2 * ctx.stack.server.workers * ctx.stack.server.threads
    before = cpu.snapshot()
    report = _api.load(ctx, api, mode="closed", seconds=seconds, concurrency=concurrency, get=path)
    used = {**cpu.spent(before, cpu.snapshot()), "load generator": float(report["cpu_s"])}
    per_request = sum(used.values()) * 1000 / max(1, int(report["requests"]))
    return [
        Figure(
            TITLE,
            f"floor: {what}, saturated",
            report["requests_per_s"],
            "req/s",
            higher_is_better=True,
            note=" ".join(
                filter(
                    None, [f"CPU per request, all: {per_request:.2f} ms", _api.errors_note(report)]
                )
            ),
        )
    ]


def _cpu_figures(used: dict[str, float], closed: dict[str, Any]) -> list[Figure]:
    """CPU per request of each process group in the saturated run: their sum bounds the
    throughput at (cores ÷ sum)."""
    requests = max(1, int(closed["requests"]))
    spent = {**used, "load generator": float(closed.get("cpu_s", 0.0))}
    figures = [
        Figure(
            TITLE,
            f"CPU per request (saturated) — {group}",
            seconds * 1000 / requests,
            "ms",
            higher_is_better=False,
        )
        for group, seconds in spent.items()
    ]
    total = sum(spent.values()) * 1000 / requests
    cores = os.cpu_count() or 1
    figures.append(
        Figure(
            TITLE,
            "CPU per request (saturated) — all",
            total,
            "ms",
            higher_is_better=False,
            note=f"{cores} cores ÷ {total:.2f} ms = {cores * 1000 / total:.0f} req/s at most",
        )
    )
    return figures
