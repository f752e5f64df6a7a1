"""`relais valuesets import FILE`: load an EU DCC value-set JSON file (idempotent).

Prints counts only. The file is read from wherever the operator put it; the application
itself never reads value sets from disk at run time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.access.actors import SYSTEM
from relais.screening.services.valuesets import ValueSetFormatError, import_value_set

MAX_FILE_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Import EU DCC value sets: valuesets import FILE"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import (or update) a value-set JSON file")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        document = _read(options["file"])
        try:
            report = import_value_set(SYSTEM, document)
        except ValueSetFormatError as exc:
            raise CommandError(f"{options['file']}: {exc}") from None
        self.stdout.write(
            f"{report.value_set}: {report.added} added, {report.updated} updated, "
            f"{report.deactivated} deactivated, {report.unchanged} unchanged"
        )


def _read(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: larger than 20 MB, not a value set")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: not valid JSON ({exc})") from None
