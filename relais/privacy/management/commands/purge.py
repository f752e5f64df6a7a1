"""``relais purge [--dry-run]``: delete what is past retention, then shred empty periods.

Prints counts per class and pharmacy (FINESS), never any personal data. The worker runs
the same steps hourly (job ``privacy.purge``); audit events are purged by the audit app's
own retention, which this command also runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from relais.access.actors import SYSTEM
from relais.pharmacies.models import Pharmacy
from relais.privacy.runner import PurgeReport, dry_run, purge
from relais.privacy.shredding import candidate_periods, shred_expired_periods


class Command(BaseCommand):
    help = "Delete personal data past its retention period, then destroy empty periods' keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--batch-size", type=int, default=None, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["dry_run"]:
            self._print(dry_run(now), "would purge")
            self.stdout.write(f"periods whose keys may be destroyed: {candidate_periods()}")
            return
        report = purge(now, size=options["batch_size"], actor=SYSTEM, include_audit=True)
        self._print(report, "purged")
        shred = shred_expired_periods(SYSTEM)
        self.stdout.write(f"keys destroyed: {shred.destroyed or 'none'}")
        for period, reason in shred.refused.items():
            self.stdout.write(f"period {period} kept: {reason}")

    def _print(self, report: PurgeReport, verb: str) -> None:
        finess = dict(Pharmacy.objects.values_list("pk", "finess"))
        rows = sorted(
            ((key, count) for key, count in report.counts.items() if count),
            key=lambda item: (item[0][0], item[0][1] or 0),
        )
        if not rows:
            self.stdout.write(f"{verb}: nothing")
        for (retention_class, pharmacy_id), count in rows:
            where = (
                f"pharmacy {finess.get(pharmacy_id, pharmacy_id)}" if pharmacy_id else "platform"
            )
            self.stdout.write(f"{verb}: {retention_class:<17} {where:<20} {count}")
