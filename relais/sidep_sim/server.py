"""Running the simulator: mutual-TLS context, start/stop, the blocking entry point."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import ssl
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from relais.sidep_sim import certs
from relais.sidep_sim.app import make_app
from relais.sidep_sim.faults import FaultConfig
from relais.sidep_sim.state import SimulatorState
from relais.sidep_sim.store import AcknowledgementStore

logger = logging.getLogger("relais.sidep_sim")


def server_ssl_context(certs_dir: Path) -> ssl.SSLContext:
    """TLS 1.2+ server context that refuses any client without a certificate from our CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=certs_dir / certs.CA_FILE)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certs_dir / certs.SERVER_CERT, certs_dir / certs.SERVER_KEY)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


@dataclass(slots=True)
class RunningSimulator:
    """A started simulator: where it listens, and how to stop it."""

    runner: web.AppRunner
    state: SimulatorState
    host: str
    port: int
    scheme: str

    @property
    def base_url(self) -> str:
        """e.g. https://127.0.0.1:8443"""
        return f"{self.scheme}://{self.host}:{self.port}"

    async def stop(self) -> None:
        """Stop serving and close the state file."""
        await self.runner.cleanup()
        self.state.store.close()


async def start_simulator(
    host: str,
    port: int,
    certs_dir: Path | None,
    faults: FaultConfig,
    state_path: Path | None = None,
    *,
    seed: int | None = None,
) -> RunningSimulator:
    """Start serving in the running event loop; port 0 picks a free port."""
    state = SimulatorState(faults, AcknowledgementStore(state_path), seed)
    runner = web.AppRunner(make_app(state), access_log=None, handle_signals=False)
    await runner.setup()
    context = server_ssl_context(certs_dir) if certs_dir is not None else None
    site = web.TCPSite(runner, host, port, ssl_context=context, backlog=512)
    await site.start()
    bound = runner.addresses[0][1]
    scheme = "https" if context is not None else "http"
    return RunningSimulator(runner, state, host, bound, scheme)


def run_simulator(
    host: str,
    port: int,
    certs_dir: Path | None,
    faults: FaultConfig,
    state_path: Path | None = None,
    *,
    seed: int | None = None,
    on_ready: Callable[[RunningSimulator], None] | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM. Plain HTTP only when `certs_dir` is None (tests)."""
    start = start_simulator(host, port, certs_dir, faults, state_path, seed=seed)
    asyncio.run(_serve(start, on_ready))


async def _serve(
    start: Coroutine[None, None, RunningSimulator],
    on_ready: Callable[[RunningSimulator], None] | None,
) -> None:
    simulator = await start
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    logger.info("listening on %s", simulator.base_url)
    if on_ready is not None:
        on_ready(simulator)
    try:
        await stop.wait()
    finally:
        await simulator.stop()
