"""`relais keys …`: initialise, rotate, re-encrypt, report and shred keys.

Prints ids, ages and counts only: never key material, never personal data.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.vault import keyops as services
from relais.vault.checks import check_key_provider
from relais.vault.errors import VaultError
from relais.vault.periods import validate_period


def _period(value: str) -> str:
    try:
        return validate_period(value)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = "Manage encryption keys: init, status, rotate-kek, rotate-dek, reencrypt, destroy-period"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("init", help="create the keyring (file) or the HSM's blind-index key")
        actions.add_parser("status", help="key ids, ages and rows still on retired keys")
        kek = actions.add_parser("rotate-kek", help="new KEK per period, DEKs rewrapped")
        kek.add_argument("--period", type=_period)
        dek = actions.add_parser("rotate-dek", help="new DEK for one pharmacy and period")
        dek.add_argument("--pharmacy", type=int, required=True)
        dek.add_argument("--period", type=_period, required=True)
        again = actions.add_parser("reencrypt", help="move rows off retired DEKs (resumable)")
        again.add_argument("--batch-size", type=int, default=500)
        shred = actions.add_parser("destroy-period", help="crypto-shred a purged period")
        shred.add_argument("--period", type=_period, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "_" + options["action"].replace("-", "_"))
        try:
            handler(options)
        except VaultError as exc:
            raise CommandError(str(exc)) from None

    def _init(self, options: dict[str, Any]) -> None:
        created = services.init_keys()
        problems = check_key_provider()
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write("key provider initialised" if created else "key provider ready")

    def _status(self, options: dict[str, Any]) -> None:
        rows = services.key_status()
        self.stdout.write(f"{len(rows)} data keys")
        for row in rows:
            left = "" if row.rows is None else f" rows-left={row.rows}"
            self.stdout.write(
                f"{row.key_id} pharmacy={row.pharmacy_id} period={row.period} v{row.version} "
                f"{row.status} kek={row.kek_id} age={row.age.days}d{left}"
            )

    def _rotate_kek(self, options: dict[str, Any]) -> None:
        for period, kek_id in services.rotate_kek(options["period"]).items():
            self.stdout.write(f"{period}: now under {kek_id}")

    def _rotate_dek(self, options: dict[str, Any]) -> None:
        key_id = services.rotate_dek(options["pharmacy"], options["period"])
        self.stdout.write(f"new data key {key_id}; run `relais keys reencrypt` next")

    def _reencrypt(self, options: dict[str, Any]) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        report = services.reencrypt(batch_size=options["batch_size"])
        for label, count in sorted(report.rows_by_model.items()):
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(f"{report.total} rows re-encrypted")

    def _destroy_period(self, options: dict[str, Any]) -> None:
        destroyed = services.destroy_period(options["period"])
        self.stdout.write(f"period {options['period']} shredded; KEKs destroyed: {len(destroyed)}")
