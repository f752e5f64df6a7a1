"""The relay worker loop: claim, deliver, record; run the scheduled jobs in between.

Any number of workers may run against one PostgreSQL database: they coordinate only through
row locks (claims) and leases. SIGTERM/SIGINT stop claiming; the batch in hand is finished
(its request is bounded by the read timeout) and recorded; if the worker is interrupted
before recording, its leases are released (rows back to queued) — and if it is killed
outright, the leases expire and another worker takes the rows over. Either way the message
ids do not change, so the platform's deduplication makes redelivery harmless.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from relais.access.actors import SYSTEM
from relais.core.jobs import JOBS, Job
from relais.relay import circuit, outbox
from relais.relay.building import load, prepare
from relais.relay.circuit import CircuitSettings
from relais.relay.delivery import deliver_prepared
from relais.relay.destinations import Destination, sidep
from relais.relay.policy import RetryPolicy
from relais.relay.services.outcomes import record_outcomes
from relais.relay.transport import Transport

logger = logging.getLogger("relais.relay")
DATABASE_PAUSE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    batch_size: int
    lease_seconds: float
    idle_seconds: float
    policy: RetryPolicy
    circuit: CircuitSettings
    linger_seconds: float = 0.0

    @classmethod
    def from_settings(cls) -> WorkerSettings:
        return cls(
            batch_size=settings.RELAIS_RELAY_BATCH_SIZE,
            lease_seconds=settings.RELAIS_RELAY_LEASE_SECONDS,
            idle_seconds=settings.RELAIS_RELAY_IDLE_MS / 1000,
            policy=RetryPolicy.from_settings(),
            circuit=CircuitSettings.from_settings(),
            linger_seconds=settings.RELAIS_RELAY_LINGER_MS / 1000,
        )


@dataclass(slots=True)
class JobScheduler:
    """Runs each registered job every `every_seconds`; a failing job never stops the loop."""

    jobs: Mapping[str, Job]
    clock: Callable[[], float] = time.monotonic
    next_run: dict[str, float] = field(default_factory=dict)

    def run_due(self) -> int:
        ran = 0
        for name, job in self.jobs.items():
            now = self.clock()
            if now < self.next_run.get(name, 0.0):
                continue
            self.next_run[name] = now + job.every_seconds
            ran += 1
            try:
                done = job.run()
            except Exception as error:  # a job's failure is logged by class, never by data
                logger.error("job %s failed: %s", name, type(error).__name__)
                continue
            if done:  # how long it held the relay loop, for the operator
                logger.info("job %s: %d done in %.0f ms", name, done, (self.clock() - now) * 1000)
        return ran


class RelayWorker:
    """One worker process (or an in-process worker in tests)."""

    def __init__(
        self,
        config: WorkerSettings | None = None,
        destination: Destination | None = None,
        jobs: Mapping[str, Job] | None = None,
    ) -> None:
        self.config = config or WorkerSettings.from_settings()
        self.destination = destination or sidep()
        self.transport = Transport(self.destination)
        self.owner = outbox.new_lease_owner()
        self.scheduler = JobScheduler(JOBS if jobs is None else jobs)
        self.stopping = threading.Event()

    def run(self, *, iterations: int | None = None) -> None:
        """Loop until stopped (or for `iterations` passes, for tests and tools)."""
        logger.debug("worker %s running for %s", self.owner, self.destination.name)
        count = 0
        while not self.stopping.is_set() and (iterations is None or count < iterations):
            count += 1
            pause = self.pause_after(self._pass())
            if pause:
                self.stopping.wait(pause)
        logger.debug("worker %s paused or stopped", self.owner)

    def pause_after(self, processed: int) -> float:
        """Seconds to wait before the next claim: `idle` after an empty one; `linger` after
        a partial batch, so the next one carries what arrived meanwhile (a batch's fixed
        cost — claim, load, request, settle — is paid per batch, not per message); none
        after a full batch, when a backlog is waiting."""
        if processed == 0:
            return self.config.idle_seconds
        if processed < self.config.batch_size:
            return self.config.linger_seconds
        return 0.0

    def warm_up(self) -> None:
        """Build one sample message before claiming anything: the schema validators load
        lazily (a second or more), which must not be spent while holding a lease."""
        from relais.relay.building import encode
        from relais.relay.messages.samples import sample_screening

        encode(self.destination.format, [sample_screening()], "warm-up")

    def close(self) -> None:
        self.transport.close()

    def install_signal_handlers(self) -> None:
        def stop(signum: int, _frame: FrameType | None) -> None:
            if self.stopping.is_set():  # a second signal: stop now, leases are released
                raise SystemExit(1)
            logger.info("worker %s: signal %d, finishing the current batch", self.owner, signum)
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def _pass(self) -> int:
        try:
            close_old_connections()
            processed = self.step()
            self.scheduler.run_due()
        except DatabaseError as error:
            # A database restart: leases of the batch in hand expire and are taken over.
            logger.error("worker %s: database error (%s)", self.owner, type(error).__name__)
            close_old_connections()
            self.stopping.wait(DATABASE_PAUSE_SECONDS)
            return 0
        return processed

    def step(self) -> int:
        """Claim and settle at most one batch; returns how many transmissions it held."""
        from django.utils import timezone

        admission = circuit.admit(self.destination.name, timezone.now(), self.config.circuit)
        if admission == "wait":
            return 0
        limit = 1 if admission == "probe" else self.config.batch_size
        ids = outbox.claim(self.owner, self.destination.name, limit, self.config.lease_seconds)
        if not ids:
            return 0
        recorded = False
        try:
            rows = load(ids)
            result = deliver_prepared(self.transport, prepare(rows))
            record_outcomes(
                SYSTEM,
                self.owner,
                self.destination.name,
                result.outcomes,
                result.platform,
                policy=self.config.policy,
                circuit_settings=self.config.circuit,
                claimed={row.pk: row for row in rows},
            )
            recorded = True
        finally:
            if not recorded:
                self._release(ids)
        return len(ids)

    def _release(self, ids: list[int]) -> None:
        try:
            released = outbox.release(self.owner, ids)
        except DatabaseError:
            return  # the leases will expire instead
        logger.info("worker %s released %d transmissions", self.owner, released)
