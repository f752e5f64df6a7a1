"""``relais demo``: everything in the foreground on the embedded SQLite default.

Migrates, creates the demo data, then runs the web server (and, as they exist, the relay
worker and the SI-DEP simulator) as child processes until Ctrl-C.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from relais.core.demo_processes import demo_processes


class Command(BaseCommand):
    help = "Run the whole demo (web app, worker, simulator) until Ctrl-C."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--sim-port", type=int, default=8443)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        base_url = f"http://{options['host']}:{options['port']}"
        from relais.core.demo import create_demo_data
        from relais.core.management.commands.demo_data import (
            ensure_demo_keys,
            render_credentials,
        )

        ensure_demo_keys()

        prepared = demo_processes(options, base_url)
        data = create_demo_data(base_url=base_url)
        self.stdout.write(render_credentials(data))
        children = [
            subprocess.Popen([sys.executable, "-m", "relais.cli", *argv], env=env)  # noqa: S603
            for argv, env in prepared
        ]
        self.stdout.write(f"Relais demo running at {base_url}/ — Ctrl-C to stop.\n")
        self.stdout.flush()
        _wait(children)


def _wait(children: list[subprocess.Popen[bytes]]) -> None:
    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        sys.stderr.write("relais demo: a process stopped; stopping the others.\n")
        stop()
    except KeyboardInterrupt:
        stop()
