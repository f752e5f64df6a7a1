"""What a benchmark run stands on: its own database, data dir, keyring, server and simulator.

Everything is created for the run and removed at the end, even on failure: the database
``relais_bench_<timestamp>`` on the local PostgreSQL server (dropped), a temporary data dir
holding the keyring, and every child process (killed by process group).
Services start lazily, so a run whose API scenarios are unavailable never starts gunicorn.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg import sql

from bench.procs import Processes, ProcessFailedError, free_port, wait_for_port

PG_SERVER_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
RELAIS = str(Path(sys.executable).parent / "relais")
# Commands that run Django system checks (serve and sidep-sim do not).
_CHECKED_COMMANDS = {"migrate", "keys", "valuesets", "demo-data", "worker"}


@dataclass(frozen=True)
class ServerSetup:
    """How ``relais serve`` runs for the API scenarios (documented in every report)."""

    # Sync workers (one request at a time each, 2 per core): with gthread, a client's
    # kept-alive connections can all land in one process, where the GIL holds two 1,000-
    # record batches to one core (1,000-1,100 records/s instead of 2,100-2,500, measured).
    workers: int = 4
    threads: int = 1

    def describe(self) -> str:
        if self.threads == 1:
            return f"gunicorn sync, {self.workers} workers"
        return f"gunicorn gthread, {self.workers} workers x {self.threads} threads"


@dataclass(frozen=True)
class Simulator:
    base_url: str
    certs: Path


class Stack:
    """The run's database, data dir and child processes (a context manager)."""

    def __init__(self, server: ServerSetup, *, skip_checks: bool = False) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        self.db_name = f"relais_bench_{stamp}"
        self.database_url = f"{PG_SERVER_URL}/{self.db_name}"
        self.server = server
        self.skip_checks = skip_checks
        self.tmp = Path(tempfile.mkdtemp(prefix="relais-bench-"))
        self.env = _child_env(self.tmp / "data", self.database_url)
        self.procs = Processes(self.tmp, self.env)
        self._base_url: str | None = None
        self._simulator: Simulator | None = None
        self._demo: dict[str, Any] | None = None
        self._db_created = False

    def __enter__(self) -> Stack:
        try:
            self._create_database()
            (self.tmp / "data").mkdir(mode=0o700)
            self.procs.run("migrate", self.command("migrate", "--no-input"), timeout=600)
            self.procs.run("keys-init", self.command("keys", "init"))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop every process, drop the database, remove the temp dir; never raises."""
        self.procs.stop_all()
        if self._db_created:
            with contextlib.suppress(psycopg.Error):
                _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)"), self.db_name)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _create_database(self) -> None:
        _admin(sql.SQL("CREATE DATABASE {}"), self.db_name)
        self._db_created = True

    def command(self, name: str, *args: str) -> list[str]:
        """``relais <name> <args>``, skipping Django's system checks when asked to."""
        skip = ["--skip-checks"] if self.skip_checks and name in _CHECKED_COMMANDS else []
        return [RELAIS, name, *skip, *args]

    def connect(self) -> psycopg.Connection[Any]:
        """A plain psycopg connection to the run's database (machine limits)."""
        return psycopg.connect(self.database_url, autocommit=False)

    def setup_django(self) -> None:
        """Configure Django in this process against the run's database and data dir."""
        import django

        os.environ.update(self.env)
        django.setup()

    def demo_data(self) -> dict[str, Any]:
        """``relais demo-data --json``, once per run."""
        if self._demo is None:
            out = self.procs.run("demo-data", self.command("demo-data", "--json"))
            self._demo = json.loads(out[out.index("{") :])
        return self._demo

    def base_url(self) -> str:
        """Start ``relais serve`` (gunicorn) once; its base URL."""
        if self._base_url is None:
            port = free_port()
            argv = [RELAIS, "serve", "--port", str(port)]
            argv += ["--workers", str(self.server.workers), "--threads", str(self.server.threads)]
            child = self.procs.start("serve", argv)
            try:
                wait_for_port(child, port, timeout=60, name="relais serve")
            except ProcessFailedError as error:
                raise ProcessFailedError(f"{error}: {self.procs.log_tail('serve', 1)}") from None
            self._base_url = f"http://127.0.0.1:{port}"
        return self._base_url

    def simulator(self) -> Simulator:
        """Create throwaway mutual-TLS certificates and start ``relais sidep-sim`` once."""
        if self._simulator is None:
            certs = self.tmp / "certs"
            self.procs.run("sim-certs", [RELAIS, "sidep-sim", "--init-certs", str(certs)])
            port = free_port()
            argv = [RELAIS, "sidep-sim", "--certs", str(certs), "--port", str(port)]
            child = self.procs.start("sidep-sim", argv)
            wait_for_port(child, port, timeout=30, name="relais sidep-sim")
            self._simulator = Simulator(f"https://127.0.0.1:{port}", certs)
        return self._simulator


def _child_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "RELAIS_DATA_DIR": str(data_dir),
            "RELAIS_ENV": "development",
            "RELAIS_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "relais.settings",
            "UV_PYTHON_DOWNLOADS": "never",
            # The load generator is one client sending far more than a pharmacy would: lift
            # the per-key rate limit so it measures the service, not the limiter.
            "RELAIS_API_RATE_LIMIT": "100000000",
        }
    )
    return env


def _admin(statement: sql.SQL, db_name: str) -> None:
    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(statement.format(sql.Identifier(db_name)))
