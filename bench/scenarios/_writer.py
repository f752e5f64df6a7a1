"""Writing screenings without HTTP: ``bench.writer`` processes calling the screening service.

Used by the relay and rotation scenarios when the API does not exist (or fails), so they
measure what exists. Reports merge like the load generator's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.context import RunContext
from bench.scenarios._available import first, missing_attributes

ROOT = Path(__file__).resolve().parents[2]


def writer_unavailable() -> str | None:
    """None when the screening service can be driven directly."""
    return first(
        missing_attributes("relais.screening.services.records", "record_screening"),
        missing_attributes("relais.pharmacies.actors", "actor_for_api_key"),
    )


def load(
    ctx: RunContext,
    *,
    processes: int = 1,
    count: int | None = None,
    rate: float | None = None,
    seconds: float = 10.0,
    during: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """``processes`` writers sharing ``count`` records or ``rate``/s; merged report."""
    pharmacy = int(ctx.stack.demo_data()["pharmacies"][0]["id"])
    start = int(ctx.shared.get("next_index", 0))
    ctx.shared["next_index"] = start + 10_000_000
    children = []
    for number in range(processes):
        argv = [
            sys.executable,
            "-m",
            "bench.writer",
            "--pharmacy",
            str(pharmacy),
            "--first-index",
            str(start + number * 1_000_000),
        ]
        if count is not None:
            argv += ["--count", str(count // processes)]
        else:
            argv += ["--rate", str((rate or 1.0) / processes), "--seconds", str(seconds)]
        children.append(
            subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=ctx.stack.env,
                cwd=ROOT,
                start_new_session=True,
            )
        )
    try:
        if during is not None:
            during()
        outputs = [child.communicate(timeout=seconds + 600) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (_, stderr) in zip(children, outputs, strict=True):
        if child.returncode != 0:
            raise RuntimeError(f"writer failed: {stderr.strip()[-300:]}")
    report = merge([json.loads(stdout) for stdout, _ in outputs])
    ctx.shared["records_submitted"] = (
        ctx.shared.get("records_submitted", 0) + report["records_created"]
    )
    return report


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One report from several writers; percentiles are the worst writer's (conservative)."""
    elapsed = max(r["elapsed_s"] for r in reports)
    statuses: Counter[str] = Counter()
    for r in reports:
        statuses.update(r["statuses"])
    created = sum(r["records_created"] for r in reports)
    requests = sum(r["requests"] for r in reports)
    return {
        "requests": requests,
        "ok": sum(r["ok"] for r in reports),
        "statuses": dict(statuses),
        "elapsed_s": elapsed,
        "requests_per_s": requests / elapsed if elapsed else 0.0,
        "records_created": created,
        "records_per_s": created / elapsed if elapsed else 0.0,
        "batch_size": 0,
        "latency_ms": {
            k: max(r["latency_ms"][k] for r in reports) for k in ("p50", "p90", "p99", "max")
        },
        "ok_started_at": sorted(t for r in reports for t in r["ok_started_at"]),
    }


def errors_note(report: dict[str, Any]) -> str:
    failed = {k: v for k, v in report["statuses"].items() if k != "created"}
    return f"failed: {failed}" if failed else ""
