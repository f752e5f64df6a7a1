"""``relais worker``: relay transmissions to SI-DEP and run the scheduled jobs."""

from __future__ import annotations

import gc
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from relais.core.startup import check_ready_to_serve
from relais.relay.worker import RelayWorker

GC_THRESHOLD = 50_000  # container allocations between young-generation collections


class Command(BaseCommand):
    help = "Run the relay worker (SI-DEP transmissions) and the scheduled jobs until SIGTERM."
    requires_system_checks = []  # check_ready_to_serve runs them, and more

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--iterations", type=int, default=None, help="stop after N passes (tools, tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_ready_to_serve()
        worker = RelayWorker()
        worker.install_signal_handlers()
        worker.warm_up()
        tune_collector()
        try:
            worker.run(iterations=options["iterations"])
        finally:
            worker.close()


def tune_collector() -> None:
    """Garbage collection fitted to the worker, after its warm-up.

    Everything loaded so far (Django, the schema validators) lives as long as the process:
    frozen, it is no longer walked by every full collection. A batch holds tens of thousands
    of short-lived containers (rows, canonical screenings, JSON) freed by reference counting:
    at the default threshold the young generation was collected every few dozen messages,
    rescanning them each time, which cost a fifth of the worker's CPU.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
