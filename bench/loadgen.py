"""Load generator, run as a separate process: ``python -m bench.loadgen <options>``.

Two modes, each bounded in time: ``closed`` (``--concurrency`` clients sending back to
back: throughput) and ``rate`` (an open loop at ``--rate`` requests/s: latency, timed from
each request's *scheduled* start so a slow server cannot hide its queueing). With
``--batch-size N`` every request carries N screenings to the batch endpoint. Prints one
JSON document on stdout; never prints request or response bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.payloads import submission
from bench.stats import latency_summary_ms


@dataclass
class Tally:
    """What the load generator observed."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    records_created: int = 0
    ok_started_at: list[float] = field(default_factory=list)
    next_index: int = 0


@dataclass(frozen=True)
class Plan:
    url: str
    api_key: str
    device_id: str
    batch_size: int
    first_index: int


def _body(plan: Plan, tally: Tally) -> bytes:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    count = max(plan.batch_size, 1)
    start = plan.first_index + tally.next_index
    tally.next_index += count
    items = [submission(start + i, plan.device_id, now) for i in range(count)]
    payload: Any = {"items": items} if plan.batch_size else items[0]
    return json.dumps(payload).encode()


def count_created(document: Any) -> int:
    """Items reported as created anywhere in a batch response (its shape may evolve)."""
    if isinstance(document, dict):
        own = int(any(value == "created" for value in document.values()))
        return own + sum(count_created(value) for value in document.values())
    if isinstance(document, list):
        return sum(count_created(item) for item in document)
    return 0


async def _send(session: aiohttp.ClientSession, plan: Plan, tally: Tally, start: float) -> None:
    headers = {
        "Authorization": f"Bearer {plan.api_key}",
        "Content-Type": "application/json",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    body = _body(plan, tally)
    try:
        async with session.post(plan.url, data=body, headers=headers) as response:
            raw = await response.read()
            status = str(response.status)
    except (aiohttp.ClientError, TimeoutError) as error:
        status, raw = type(error).__name__, b""
    elapsed = time.perf_counter() - start
    tally.latencies.append(elapsed)
    tally.statuses[status] += 1
    if status in {"200", "201", "207"}:
        tally.ok_started_at.append(time.time() - elapsed)
        tally.records_created += count_created(json.loads(raw)) if plan.batch_size else 1


async def closed_loop(plan: Plan, concurrency: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            await _send(session, plan, tally, time.perf_counter())

    async with _session(concurrency) as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    return tally


async def open_loop(plan: Plan, rate: float, seconds: float) -> Tally:
    tally = Tally()
    origin = time.perf_counter()
    total = int(rate * seconds)
    async with _session(1000) as session:
        tasks = []
        for n in range(total):
            scheduled = origin + n / rate
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            tasks.append(asyncio.create_task(_send(session, plan, tally, scheduled)))
        await asyncio.gather(*tasks)
    return tally


def _session(connections: int) -> aiohttp.ClientSession:
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections)
    return aiohttp.ClientSession(timeout=timeout, connector=connector)


def report(tally: Tally, elapsed: float, batch_size: int) -> dict[str, Any]:
    """The JSON document printed at the end (numbers only)."""
    ok = sum(n for status, n in tally.statuses.items() if status in {"200", "201", "207"})
    return {
        "requests": len(tally.latencies),
        "ok": ok,
        "statuses": dict(tally.statuses),
        "elapsed_s": elapsed,
        "requests_per_s": len(tally.latencies) / elapsed if elapsed else 0.0,
        "records_created": tally.records_created,
        "records_per_s": tally.records_created / elapsed if elapsed else 0.0,
        "batch_size": batch_size,
        "latency_ms": latency_summary_ms(tally.latencies),
        "ok_started_at": sorted(tally.ok_started_at),
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.loadgen")
    parser.add_argument("--url", required=True)
    parser.add_argument("--key-file", required=True, help="file holding the API key")
    parser.add_argument("--device-id", required=True)
    parser.add_argument("--mode", choices=("closed", "rate"), required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--first-index", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    with open(args.key_file, encoding="ascii") as key_file:
        api_key = key_file.read().strip()
    plan = Plan(args.url, api_key, args.device_id, args.batch_size, args.first_index)
    started = time.perf_counter()
    if args.mode == "closed":
        tally = asyncio.run(closed_loop(plan, args.concurrency, args.seconds))
    else:
        tally = asyncio.run(open_loop(plan, args.rate, args.seconds))
    elapsed = time.perf_counter() - started
    sys.stdout.write(json.dumps(report(tally, elapsed, args.batch_size)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
