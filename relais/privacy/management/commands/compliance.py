"""``relais compliance report [--pharmacy FINESS]``: the processor's records, as Markdown."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.pharmacies.models import Pharmacy
from relais.privacy.compliance import pharmacy_sheet, processing_record


class Command(BaseCommand):
    help = "Print the record of processing activities (GDPR art. 30(2)) or a pharmacy's sheet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["report"])
        parser.add_argument("--pharmacy", metavar="FINESS", help="one pharmacy's compliance sheet")

    def handle(self, *args: Any, **options: Any) -> None:
        finess = options.get("pharmacy")
        if not finess:
            self.stdout.write(processing_record(), ending="")
            return
        pharmacy = Pharmacy.objects.filter(finess=finess).first()
        if pharmacy is None:
            raise CommandError(f"no pharmacy with FINESS {finess}")
        self.stdout.write(pharmacy_sheet(pharmacy), ending="")
