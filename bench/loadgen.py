"""Load generator, run as a separate process: ``python -m bench.loadgen <options>``.

Two modes, each bounded in time: ``closed`` (``--concurrency`` clients sending back to
back: throughput) and ``rate`` (an open loop at ``--rate`` requests/s: latency, timed from
each request's *scheduled* start so a slow server cannot hide its queueing). With
``--batch-size N`` every request carries N screenings to the batch endpoint. Prints one
JSON document on stdout; never prints request or response bodies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import queue
import resource
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.payloads import submission
from bench.stats import latency_summary_ms

TIMEOUT_S = 30.0
# A kept-alive connection the server closed while idle fails one of these ways.
STALE_CONNECTION = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)
OPEN_LOOP_CLIENTS = 256  # connections for the open loop: enough that none waits for one


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
    get_path: str = ""  # when set: GET this path (no body), the floor of a request's cost


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


class _Client:
    """One keep-alive HTTP/1.1 connection (stdlib ``http.client``: the load generator shares
    the server's 2 cores, and this costs a fraction of an asyncio client's CPU per request)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.target = urlsplit(plan.url)
        self.conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes | None) -> tuple[str, bytes]:
        """One POST (a GET of ``plan.get_path`` when ``body`` is None); sent again once on a
        fresh connection when a kept-alive one turns out closed by the server (its
        keep-alive timeout), as HTTP clients do. The retry carries the same
        Idempotency-Key, so it can never record twice."""
        headers = {"Authorization": f"Bearer {self.plan.api_key}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Idempotency-Key"] = str(uuid.uuid4())
        reused = self.conn is not None
        try:
            return self._exchange(body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            if reused and isinstance(error, STALE_CONNECTION):
                try:
                    return self._exchange(body, headers)
                except (OSError, http.client.HTTPException) as again:
                    self.close()
                    return type(again).__name__, b""
            return type(error).__name__, b""

    def _exchange(self, body: bytes | None, headers: dict[str, str]) -> tuple[str, bytes]:
        if self.conn is None:
            host, port = self.target.hostname or "127.0.0.1", self.target.port or 80
            self.conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        if body is None:
            self.conn.request("GET", self.plan.get_path, headers=headers)
        else:
            self.conn.request("POST", self.target.path, body=body, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        if response.will_close:
            self.close()
        return str(response.status), raw

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _send(client: _Client, tally: Tally, lock: threading.Lock, start: float) -> None:
    with lock:
        body = None if client.plan.get_path else _body(client.plan, tally)
    status, raw = client.post(body)
    elapsed = time.perf_counter() - start
    created = count_created(json.loads(raw)) if client.plan.batch_size and raw else 1
    created = 0 if body is None else created
    with lock:
        tally.latencies.append(elapsed)
        tally.statuses[status] += 1
        if status in {"200", "201", "207"}:
            tally.ok_started_at.append(time.time() - elapsed)
            tally.records_created += created


def closed_loop(plan: Plan, concurrency: int, seconds: float) -> Tally:
    """``concurrency`` clients, each sending its next request as soon as one is answered."""
    tally, lock = Tally(), threading.Lock()
    deadline = time.perf_counter() + seconds

    def run() -> None:
        client = _Client(plan)
        while time.perf_counter() < deadline:
            _send(client, tally, lock, time.perf_counter())
        client.close()

    _join([threading.Thread(target=run) for _ in range(concurrency)])
    return tally


def open_loop(plan: Plan, rate: float, seconds: float) -> Tally:
    """Requests scheduled at ``rate``/s whatever the answers; a pool of OPEN_LOOP_CLIENTS
    connections sends them, each timed from its scheduled start (queueing included)."""
    tally, lock = Tally(), threading.Lock()
    due: queue.SimpleQueue[float | None] = queue.SimpleQueue()

    def run() -> None:
        client = _Client(plan)
        while (scheduled := due.get()) is not None:
            _send(client, tally, lock, scheduled)
        client.close()

    threads = [threading.Thread(target=run) for _ in range(OPEN_LOOP_CLIENTS)]
    for thread in threads:
        thread.start()
    origin = time.perf_counter()
    for n in range(int(rate * seconds)):
        scheduled = origin + n / rate
        time.sleep(max(0.0, scheduled - time.perf_counter()))
        due.put(scheduled)
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return tally


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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
        "cpu_s": _own_cpu_seconds(),
    }


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
    parser.add_argument("--get", default="", help="GET this path instead of submitting")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    with open(args.key_file, encoding="ascii") as key_file:
        api_key = key_file.read().strip()
    plan = Plan(args.url, api_key, args.device_id, args.batch_size, args.first_index, args.get)
    started = time.perf_counter()
    if args.mode == "closed":
        tally = closed_loop(plan, args.concurrency, args.seconds)
    else:
        tally = open_loop(plan, args.rate, args.seconds)
    elapsed = time.perf_counter() - started
    sys.stdout.write(json.dumps(report(tally, elapsed, args.batch_size)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
