"""Relay to the simulator: acknowledged messages/s (≥ 2,000) and end-to-end p99 at 200/s (≤ 2 s).

Real processes: ``relais sidep-sim`` with mutual TLS, ``relais worker`` x 2 configured
through ``RELAIS_SIDEP_*``. Throughput: the workers drain the screenings the API scenarios
queued, timed from the first to the last acceptance counted by ``GET /sim/stats``
(``unique_accepted``). End to end: single submissions at 200/s while the workers run; the
k-th accepted message is matched with the k-th submission (first in, first out), so each
latency is the time from a request's start to the simulator's acceptance of as many
messages. No machine limit is paired with these figures.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios import _api, _writer
from bench.scenarios._available import first, missing_command
from bench.stack import Simulator
from bench.stats import percentile

TITLE = "Relay to SI-DEP simulator"
# One log line per poll would drown the run's output.
logging.getLogger("httpx").setLevel(logging.WARNING)
WORKERS = 2
RATE = 200.0


def available() -> str | None:
    return first(missing_command("worker"), missing_command("sidep-sim"), writers_unavailable())


def writers_unavailable() -> str | None:
    api, service = _api.api_unavailable(), _writer.writer_unavailable()
    return f"no writer: {api}; {service}" if api and service else None


def submit(
    ctx: RunContext, *, rate: float, seconds: float, during: Callable[[], None] | None = None
) -> tuple[dict[str, Any], str]:
    """Submissions at ``rate``/s via the API when it answers, else the service; (report, via)."""
    why_not = _api_refusal(ctx)
    if why_not is None:
        api = _api.target(ctx)
        report = _api.load(ctx, api, mode="rate", seconds=seconds, rate=rate, during=during)
        return report, "via the API"
    report = _writer.load(ctx, processes=2, rate=rate, seconds=seconds, during=during)
    return report, f"via record_screening ({why_not})"


def _api_refusal(ctx: RunContext) -> str | None:
    """None when the API accepted a probe submission in this run; else why not (cached)."""
    if "api_refusal" not in ctx.shared:
        reason = _api.api_unavailable()
        if reason is None:
            try:
                _api.probe(ctx, _api.target(ctx))
            except Exception as error:
                reason = f"API probe failed: {error}"
        ctx.shared["api_refusal"] = reason
    found: str | None = ctx.shared["api_refusal"]
    return found


@dataclass
class StatsPoller:
    """Samples ``unique_accepted`` from the simulator in a background thread."""

    sim: Simulator
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def client(self) -> httpx.Client:
        """A mutual-TLS client (an explicit SSL context: httpx's ``cert=`` is deprecated)."""
        certs = self.sim.certs
        context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        context.load_cert_chain(str(certs / "client.pem"), str(certs / "client.key"))
        return httpx.Client(verify=context, timeout=5)

    def accepted(self, client: httpx.Client) -> int:
        response = client.get(f"{self.sim.base_url}/sim/stats")
        response.raise_for_status()
        return int(response.json()["unique_accepted"])

    def _loop(self) -> None:
        with self.client() as client:
            while not self._stop.is_set():
                self.samples.append((time.time(), self.accepted(client)))
                time.sleep(0.02)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, daemon=True)
        thread.start()
        return thread

    def stop(self, thread: threading.Thread) -> None:
        self._stop.set()
        thread.join(timeout=10)

    def wait_until(self, count: int, idle: float, deadline: float) -> None:
        """Until ``count`` accepted, no progress for ``idle`` s, or the deadline."""
        last_change = time.time()
        seen = -1
        while time.time() < deadline:
            current = self.samples[-1][1] if self.samples else 0
            if current >= count:
                return
            if current != seen:
                seen, last_change = current, time.time()
            elif time.time() - last_change > idle:
                return
            time.sleep(0.1)


def _start_workers(ctx: RunContext, sim: Simulator) -> None:
    env = ctx.stack.procs.env
    env.update(
        {
            "RELAIS_SIDEP_URL": sim.base_url,
            "RELAIS_SIDEP_CLIENT_CERT": str(sim.certs / "client.pem"),
            "RELAIS_SIDEP_CLIENT_KEY": str(sim.certs / "client.key"),
            "RELAIS_SIDEP_CA": str(sim.certs / "ca.pem"),
        }
    )
    for number in range(WORKERS):
        ctx.stack.procs.start(f"worker-{number}", ctx.stack.command("worker"))


def throughput(samples: list[tuple[float, int]], baseline: int) -> tuple[float, int]:
    """(messages/s between the first and the last acceptance, messages accepted)."""
    moving = [(t, n) for t, n in samples if n > baseline]
    if len(moving) < 2:
        return 0.0, (moving[-1][1] - baseline) if moving else 0
    last_count = moving[-1][1]
    t_last = next(t for t, n in moving if n == last_count)
    (t_first, n_first) = moving[0]
    if t_last <= t_first:
        return 0.0, last_count - baseline
    return (last_count - n_first) / (t_last - t_first), last_count - baseline


def fifo_latencies(starts: list[float], samples: list[tuple[float, int]], base: int) -> list[float]:
    """Latency of the k-th submission = first time ``base + k + 1`` messages were accepted."""
    latencies, cursor = [], 0
    for k, started in enumerate(sorted(starts)):
        while cursor < len(samples) and samples[cursor][1] < base + k + 1:
            cursor += 1
        if cursor == len(samples):
            break
        latencies.append(max(0.0, samples[cursor][0] - started))
    return latencies


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    wanted = 3_000 if quick else 10_000  # several batches of 500 even in quick mode
    queued = int(ctx.shared.get("records_submitted", 0))
    if queued < wanted:
        # Not enough queued by the API scenarios: top up through the screening service.
        _writer.load(ctx, processes=2, count=wanted - queued, seconds=0)
        queued = int(ctx.shared["records_submitted"])
    sim = ctx.stack.simulator()
    poller = StatsPoller(sim)
    with poller.client() as client:
        baseline = poller.accepted(client)
    thread = poller.start()
    try:
        _start_workers(ctx, sim)
        poller.wait_until(baseline + queued, idle=10, deadline=time.time() + (60 if quick else 300))
        rate, drained = throughput(list(poller.samples), baseline)
        figures = [
            Figure(
                TITLE,
                f"acknowledged messages per second ({drained:,} msgs)",
                rate,
                "msgs/s",
                higher_is_better=True,
                target=2000.0,
                note=f"{WORKERS} workers; backlog {queued:,}",
            )
        ]
        if drained < queued:
            ctx.shared.setdefault("notes", []).append(
                f"Relay: only {drained:,} of {queued:,} queued messages were accepted by the "
                "simulator within the wait, so end-to-end latency was not measured."
            )
        else:
            figures += _end_to_end(ctx, poller, quick)
    finally:
        poller.stop(thread)
    return figures


def _end_to_end(ctx: RunContext, poller: StatsPoller, quick: bool) -> list[Figure]:
    base = poller.samples[-1][1]
    report, via = submit(ctx, rate=RATE, seconds=8.0 if quick else 30.0)
    starts = report["ok_started_at"]
    poller.wait_until(base + len(starts), idle=10, deadline=time.time() + 30)
    latencies = fifo_latencies(starts, list(poller.samples), base)
    missing = len(starts) - len(latencies)
    note = f"{missing} of {len(starts)} not acknowledged within the wait" if missing else ""
    p99 = percentile(latencies, 99) if not missing else float("inf")
    if not missing:
        ctx.shared.setdefault("latencies", {})["Relay end to end @200/s"] = {
            "p50": percentile(latencies, 50) * 1000,
            "p90": percentile(latencies, 90) * 1000,
            "p99": p99 * 1000,
            "max": max(latencies, default=0.0) * 1000,
        }
    return [
        Figure(
            TITLE,
            f"end-to-end p99 at {RATE:.0f} submissions/s",
            p99,
            "s",
            higher_is_better=False,
            target=2.0,
            note=" ".join(filter(None, [via, note, errors(report)])),
            disqualified=errors(report),
        )
    ]


def errors(report: dict[str, Any]) -> str:
    """'' when every submission succeeded; else the failure counts (no bodies)."""
    failed = {k: v for k, v in report["statuses"].items() if k not in {"200", "201", "created"}}
    return f"failed: {failed}" if failed else ""
