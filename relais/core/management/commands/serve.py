"""``relais serve``: the web app and API under gunicorn, a production-grade WSGI server."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from relais.core.server import run_gunicorn
from relais.core.startup import check_ready_to_serve


class Command(BaseCommand):
    help = "Serve the web app and the API with gunicorn."
    requires_system_checks = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        check_ready_to_serve()
        run_gunicorn(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            trust_proxy=settings.RELAIS_TRUSTED_PROXY_HEADERS,
        )
