"""Key rotation under load: ``relais keys rotate-dek`` then ``reencrypt`` while records arrive.

Submissions arrive at 50/s throughout (through the API, else the screening service); the
figures are the re-encryption speed, the p99 latency of the submissions meanwhile, and the
number of failed submissions (target 0).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios import relay
from bench.scenarios._available import first, missing_attributes, missing_command

TITLE = "Key rotation under load"
RATE = 50.0


def available() -> str | None:
    return first(
        relay.writers_unavailable(),
        missing_attributes("relais.vault.keyops", "rotate_dek", "reencrypt"),
        missing_command("keys"),
    )


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    pharmacy_id = str(ctx.stack.demo_data()["pharmacies"][0]["id"])
    period = dt.datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m")
    timings: dict[str, float] = {}

    def rotate() -> None:
        time.sleep(2)
        started = time.perf_counter()
        ctx.stack.procs.run(
            "rotate-dek",
            ctx.stack.command("keys", "rotate-dek", "--pharmacy", pharmacy_id, "--period", period),
        )
        out = ctx.stack.procs.run("reencrypt", ctx.stack.command("keys", "reencrypt"), timeout=600)
        timings["seconds"] = time.perf_counter() - started
        timings["rows"] = float(_rows_reencrypted(out))

    report, via = relay.submit(ctx, rate=RATE, seconds=12.0 if quick else 40.0, during=rotate)
    ctx.shared.setdefault("latencies", {})["Submission @50/s, rotating"] = report["latency_ms"]
    failed = report["requests"] - report["ok"]
    rows, seconds = timings["rows"], timings["seconds"]
    return [
        Figure(
            TITLE,
            f"rows re-encrypted per second ({rows:.0f} rows)",
            rows / seconds,
            "rows/s",
            higher_is_better=True,
        ),
        Figure(
            TITLE,
            f"p99 submission latency at {RATE:.0f}/s while rotating",
            report["latency_ms"]["p99"],
            "ms",
            higher_is_better=False,
            target=100.0,
            note=via,
            disqualified=relay.errors(report),
        ),
        Figure(
            TITLE,
            "failed submissions while rotating",
            float(failed),
            "requests",
            higher_is_better=False,
            target=0.0,
            note=relay.errors(report),
        ),
    ]


def _rows_reencrypted(output: str) -> int:
    match = re.search(r"^(\d+) rows re-encrypted$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError("`relais keys reencrypt` printed no total")
    return int(match.group(1))
