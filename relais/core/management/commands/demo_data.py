"""``relais demo-data [--json]``: create the demo data; print credentials (demo only)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from relais.core.demo import create_demo_data


def render_credentials(data: dict[str, Any]) -> str:
    lines = [
        "",
        "DEMO ONLY — throwaway accounts, never use these outside a demo:",
        f"  URL: {data['base_url']}",
    ]
    for pharmacy in data["pharmacies"]:
        lines.append(f"  {pharmacy['name']} (FINESS {pharmacy['finess']})")
        lines.extend(
            f"    {user['role']:<11} {user['email']:<40} {user['password']}"
            for user in pharmacy["users"]
        )
    for role in ("operator", "auditor"):
        lines.append(f"  {role:<13} {data[role]['email']:<40} {data[role]['password']}")
    return "\n".join(lines) + "\n"


def ensure_demo_keys() -> None:
    """Demo data holds secrets (MFA seeds): create the development keyring if absent."""
    from django.conf import settings

    if settings.PRODUCTION:
        raise CommandError("demo data is never created in production")
    from relais.vault.keyops import init_keys

    init_keys()


class Command(BaseCommand):
    help = "Create the demo pharmacies and accounts and print their credentials."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON document")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_demo_keys()
        data = create_demo_data(base_url=options["base_url"])
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self.stdout.write(render_credentials(data))
