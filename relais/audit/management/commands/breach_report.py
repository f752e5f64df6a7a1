"""``relais breach-report --from T1 --to T2 [--actor A | --pharmacy P | --all] [--list]``.

Per pharmacy (the data controller): how many unique persons had their data read or changed
in the window, and which categories of data. ``--list`` adds, for one pharmacy, the persons
themselves (decrypted) on stdout, for the controller's duty to notify; the run is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from relais.access.actors import SYSTEM
from relais.audit.services import breach_persons, breach_report


def parse_moment(text: str) -> dt.datetime:
    """An ISO date or date-time; naive values are Europe/Paris (the settings' time zone)."""
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"not an ISO date or date-time: {text!r}")
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Persons affected by accesses in a time window, per pharmacy (data controller)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="ISO date or date-time")
        parser.add_argument("--to", dest="end", required=True, help="ISO date or date-time")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--actor", help="an account: user:12, api_key:…, or a user id")
        who.add_argument("--pharmacy", type=int, help="one pharmacy's id")
        who.add_argument("--all", action="store_true", help="every pharmacy")
        parser.add_argument(
            "--list", action="store_true", help="print the persons (needs --pharmacy)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = parse_moment(options["start"]), parse_moment(options["end"])
        if end <= start:
            raise CommandError("--to must be after --from")
        if options["list"] and options["pharmacy"] is None:
            raise CommandError("--list needs --pharmacy: each controller gets its own list")
        account = options["actor"] or ""
        impacts = breach_report(
            SYSTEM,
            platform=True,
            start=start,
            end=end,
            account=account,
            pharmacy_id=options["pharmacy"],
        )
        self.stdout.write("pharmacy_id,persons,events,categories")
        for impact in impacts.values():
            categories = " ".join(sorted(impact.categories))
            self.stdout.write(
                f"{impact.pharmacy_id},{impact.person_count},{impact.events},{categories}"
            )
        if options["list"]:
            writer = csv.writer(self.stdout)
            rows = breach_persons(
                SYSTEM, pharmacy_id=options["pharmacy"], start=start, end=end, account=account
            )
            for row in rows:
                writer.writerow(row)
