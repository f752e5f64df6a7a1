"""``relais sidep-sim``: the SI-DEP simulator (never part of a production deployment).

The simulator is plain Python (``relais.sidep_sim``) so it runs without Django settings;
this command only forwards its arguments (``relais sidep-sim --help``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the SI-DEP simulator (mutual TLS with --certs; faults on demand)."

    def run_from_argv(self, argv: list[str]) -> None:
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError("the SI-DEP simulator never runs in production")
        from relais.sidep_sim.cli import main

        raise SystemExit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - see run_from_argv
        raise CommandError("run as `relais sidep-sim`")
