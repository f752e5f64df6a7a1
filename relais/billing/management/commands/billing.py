"""``relais billing reconcile --month YYYY-MM`` and ``relais billing statement …``.

``reconcile`` prints one line per pharmacy (FINESS and counts only) and exits 1 on any
mismatch; ``statement`` writes the month's statement (issued, or a draft drawn up now) to
standard output as CSV or PDF. Both run as the system actor, from the operator's shell.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.access.actors import SYSTEM
from relais.billing.errors import StatementNotFoundError
from relais.billing.periods import Month, MonthError
from relais.billing.reconciliation import Row

EXIT_MISMATCH = 1
COLUMNS = ("FINESS", "attendues", "registre", "facturées", "relevé", "état")


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except MonthError as error:
        raise CommandError(str(error)) from error


class Command(BaseCommand):
    help = "Billing: reconcile a month, or write a pharmacy's monthly statement to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        reconcile = sub.add_parser("reconcile", help="billed units vs acknowledged transmissions")
        reconcile.add_argument("--month", required=True, help="YYYY-MM (Europe/Paris)")
        statement = sub.add_parser("statement", help="a monthly statement, to standard output")
        statement.add_argument("--pharmacy", required=True, metavar="FINESS")
        statement.add_argument("--month", required=True, help="YYYY-MM (Europe/Paris)")
        statement.add_argument("--format", choices=("csv", "pdf"), default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "reconcile":
            self._reconcile(_month(options["month"]))
        else:
            self._statement(options["pharmacy"], _month(options["month"]), options["format"])

    def _reconcile(self, month: Month) -> None:
        from relais.billing.services import reconcile_month

        rows = reconcile_month(SYSTEM, month)
        self.stdout.write(format_table(rows))
        bad = [row for row in rows if not row.ok]
        self.stdout.write(
            f"{month}: {len(rows)} pharmacie(s), {len(bad)} écart(s)"
            if bad
            else f"{month}: {len(rows)} pharmacie(s), aucun écart"
        )
        if bad:
            raise SystemExit(EXIT_MISMATCH)

    def _statement(self, finess: str, month: Month, file_format: str) -> None:
        from relais.billing.services import month_statement_file

        try:
            document = month_statement_file(SYSTEM, finess, month, file_format)
        except StatementNotFoundError as error:
            raise CommandError(f"no pharmacy with FINESS {finess}") from error
        out: IO[str] = self.stdout._out  # type: ignore[assignment]
        out.flush()
        buffer: IO[bytes] = getattr(out, "buffer", None) or sys.stdout.buffer
        buffer.write(document.content)
        buffer.flush()


def format_table(rows: list[Row]) -> str:
    lines = [[*COLUMNS]] + [
        [
            row.finess,
            str(row.expected),
            str(row.ledger),
            str(row.billed),
            row.statement or "-",
            "ok" if row.ok else "ÉCART",
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    )
