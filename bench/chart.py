"""The PNG chart of a run: throughputs beside their machine limits, latency percentiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.figures import Figure


def draw(path: Path, figures: list[Figure], latencies: dict[str, dict[str, Any]]) -> None:
    """Left: rates (log scale) with the paired limit; right: p50/p90/p99 per load."""
    rates = [f for f in figures if f.higher_is_better and f.value > 0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 6))
    labels = [f"{f.scenario}\n{f.name[:40]}" for f in rates]
    rows = range(len(rates))
    left.barh([r + 0.2 for r in rows], [f.value for f in rates], height=0.4, label="Relais")
    left.barh(
        [r - 0.2 for r in rows],
        [f.limit.value if f.limit else 0 for f in rates],
        height=0.4,
        label="machine limit",
        color="lightgray",
    )
    left.set_yticks(list(rows), labels, fontsize=7)
    left.set_xscale("log")
    left.set_title("Throughput (per second, log scale)")
    left.legend(fontsize=8)
    _latency_bars(right, latencies)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _latency_bars(axis: Any, latencies: dict[str, dict[str, Any]]) -> None:
    names = list(latencies)
    if not names:
        axis.text(0.5, 0.5, "no latency measured in this run", ha="center", va="center")
        axis.set_axis_off()
        return
    for offset, pct in ((-0.25, "p50"), (0.0, "p90"), (0.25, "p99")):
        axis.bar(
            [i + offset for i in range(len(names))],
            [float(latencies[n][pct]) for n in names],
            width=0.25,
            label=pct,
        )
    axis.set_xticks(range(len(names)), names, fontsize=7, rotation=15)
    axis.set_ylabel("ms")
    axis.set_title("Latency percentiles")
    axis.legend(fontsize=8)
