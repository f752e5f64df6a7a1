"""``relais worker``: relay transmissions to SI-DEP and run the scheduled jobs."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the relay worker (SI-DEP transmissions) and the scheduled jobs until SIGTERM."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--iterations", type=int, default=None, help="stop after N passes (tools, tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from relais.relay.worker import RelayWorker

        worker = RelayWorker()
        worker.install_signal_handlers()
        worker.warm_up()
        try:
            worker.run(iterations=options["iterations"])
        finally:
            worker.close()
