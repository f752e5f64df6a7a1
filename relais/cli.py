"""The ``relais`` console script: every management command, without manage.py.

``relais demo-data`` and ``relais demo_data`` are the same command. Configuration and
database problems end with one actionable line and exit status 2, never a bare traceback.
"""

from __future__ import annotations

import os
import sys

RELAIS_COMMANDS_HELP = """Relais — relay of COVID-19 screening results to SI-DEP.

Usage: relais <command> [options]     (relais <command> --help for its options)

Running:
  demo          migrate, create demo data, run web app + worker + SI-DEP simulator
  serve         the web app and API under gunicorn (production server)
  worker        the relay worker and scheduled jobs
  sidep-sim     the SI-DEP simulator (never in production)
Set-up and data:
  migrate       apply database migrations
  demo-data     create the demo pharmacies and accounts (--json prints credentials)
  keys          encryption keys: init, status, rotate-kek, rotate-dek, reencrypt
  valuesets     import the EU DCC value sets (rapid antigen test devices)
Oversight:
  audit         verify the tamper-evident audit log
  breach-report persons affected by accesses in a time window
  purge         delete personal data past its retention period
  billing       statements and reconciliation
  compliance    processor's record of processing activities

All Django commands: relais help --commands
"""


def _command_name(argv: list[str]) -> list[str]:
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv = [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    args[0] = "relais"
    if len(args) == 1 or args[1] in {"-h", "--help"}:
        sys.stdout.write(RELAIS_COMMANDS_HELP)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(_command_name(args))
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"relais: configuration error: {exc}\n")
        return 2
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(
            f"relais: the database cannot be reached ({first_line}); "
            "check DATABASE_URL and that the server is running.\n"
        )
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
