"""Percentiles, shared by the limits and the load generator (no dependencies)."""

from __future__ import annotations

import math


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p90, p99 and max of latencies given in seconds, in milliseconds."""
    return {
        "p50": percentile(seconds, 50) * 1000,
        "p90": percentile(seconds, 90) * 1000,
        "p99": percentile(seconds, 99) * 1000,
        "max": max(seconds, default=0.0) * 1000,
    }
