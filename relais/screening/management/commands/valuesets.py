"""`relais valuesets import FILE`: load an EU DCC value-set JSON file (idempotent).

Every install starts with the value sets shipped in `relais/screening/data/` (loaded by
`relais migrate`); this command brings a newer list. It prints what changed, and refuses a
malformed file with one line, importing nothing of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.access.actors import SYSTEM
from relais.screening.services.valuesets import import_value_set
from relais.screening.valuesets_apply import ImportReport, ValueSetFormatError

MAX_FILE_BYTES = 20 * 1024 * 1024
SHOWN_CODES = 20


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
        self.stdout.write(_summary(report))


def _summary(report: ImportReport) -> str:
    """Counts, then the codes that changed (a few per kind), so an update can be reviewed."""
    counts = report.counts()
    lines = [
        f"{report.value_set}: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['deactivated']} deactivated, {counts['unchanged']} unchanged"
    ]
    for kind in ("added", "updated", "deactivated"):
        codes: list[str] = getattr(report, kind)
        if codes:
            more = f" (+{len(codes) - SHOWN_CODES} more)" if len(codes) > SHOWN_CODES else ""
            lines.append(f"  {kind}: {', '.join(codes[:SHOWN_CODES])}{more}")
    return "\n".join(lines)


def _read(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: larger than 20 MB, not a value set")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: not valid JSON ({exc})") from None
