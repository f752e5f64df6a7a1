"""In-process writer, run as a separate process: ``python -m bench.writer <options>``.

Records screenings through ``relais.screening.services.record_screening`` with the actor an
API key of scope ``screenings:write`` would have: the whole submission path (validation,
encryption, audit, outbox) minus HTTP. The relay and rotation scenarios use it as their
writer while the API does not exist. Prints the same JSON report as ``bench.loadgen``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import uuid
from collections import Counter
from typing import Any

from bench.payloads import DEFAULT_DEVICE_ID, submission
from bench.stats import latency_summary_ms


def _writer(pharmacy_id: int) -> Any:
    import django

    django.setup()
    from relais.pharmacies.actors import actor_for_api_key
    from relais.screening.services.records import record_screening

    actor = actor_for_api_key("bench-writer", pharmacy_id, frozenset({"screenings:write"}))

    def write(index: int) -> None:
        now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        body = submission(index, DEFAULT_DEVICE_ID, now)
        record_screening(actor, pharmacy_id, body, idempotency=str(uuid.uuid4()))

    return write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.writer")
    parser.add_argument("--pharmacy", type=int, required=True)
    parser.add_argument("--first-index", type=int, default=0)
    parser.add_argument("--count", type=int, help="write this many, back to back")
    parser.add_argument("--rate", type=float, help="or write at this rate ...")
    parser.add_argument("--seconds", type=float, default=10.0, help="... for this long")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    write = _writer(args.pharmacy)
    total = args.count if args.count is not None else int(args.rate * args.seconds)
    interval = 0.0 if args.count is not None else 1.0 / args.rate
    report = drive(write, args.first_index, total, interval)
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


def drive(write: Any, first_index: int, total: int, interval: float) -> dict[str, Any]:
    """Call ``write`` ``total`` times (every ``interval`` s, or back to back); the report."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    ok_started_at: list[float] = []
    origin = time.perf_counter()
    for n in range(total):
        scheduled = origin + n * interval
        time.sleep(max(0.0, scheduled - time.perf_counter()))
        start = scheduled if interval else time.perf_counter()
        try:
            write(first_index + n)
        except Exception as error:  # counted by type, never reported with its data
            statuses[type(error).__name__] += 1
        else:
            statuses["created"] += 1
            ok_started_at.append(time.time() - (time.perf_counter() - start))
        latencies.append(time.perf_counter() - start)
    elapsed = time.perf_counter() - origin
    created = statuses["created"]
    return {
        "requests": total,
        "ok": created,
        "statuses": dict(statuses),
        "elapsed_s": elapsed,
        "requests_per_s": total / elapsed if elapsed else 0.0,
        "records_created": created,
        "records_per_s": created / elapsed if elapsed else 0.0,
        "batch_size": 0,
        "latency_ms": latency_summary_ms(latencies),
        "ok_started_at": ok_started_at,
    }


if __name__ == "__main__":
    raise SystemExit(main())
