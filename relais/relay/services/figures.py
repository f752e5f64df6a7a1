"""The dashboard's figures: tests per day, positivity, transmission delays and failures.

The screening app counts tests and positives (an audited read of results); the relay adds
what only it knows, per day: transmissions rejected or dead, and the median delay of the
platform's acknowledgement. Aggregates only, never a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.core.services import service
from relais.relay.models import Transmission, TransmissionStatus
from relais.screening.services.figures import DailyTests, count_tests_by_day

PARIS = ZoneInfo("Europe/Paris")
FAILED = (TransmissionStatus.REJECTED, TransmissionStatus.DEAD)


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    tests: int
    positives: int
    failures: int
    median_delay_s: float

    @property
    def positivity(self) -> float:
        return 100.0 * self.positives / self.tests if self.tests else 0.0


@service
def dashboard_figures(actor: Actor, pharmacy_id: int, days: int = 14) -> list[Day]:
    """The last `days` Paris days, today included (its audit event: the count of tests)."""
    require(actor, Action.DASHBOARD_VIEW, pharmacy_id)
    first = datetime.now(PARIS).date() - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=PARIS)
    tests = count_tests_by_day(actor, pharmacy_id, start, PARIS)
    failures, delays = _transmissions(pharmacy_id, start)
    empty = DailyTests()
    return [
        Day(
            d,
            tests.get(d, empty).tests,
            tests.get(d, empty).positives,
            failures.get(d, 0),
            median(delays[d]) if delays.get(d) else 0.0,
        )
        for d in (first + timedelta(days=i) for i in range(days))
    ]


def _transmissions(
    pharmacy_id: int, start: datetime
) -> tuple[dict[date, int], dict[date, list[float]]]:
    rows = Transmission.objects.filter(pharmacy_id=pharmacy_id, created_at__gte=start)
    failures: dict[date, int] = {}
    delays: dict[date, list[float]] = {}
    for created, status, acked in rows.values_list("created_at", "status", "acknowledged_at"):
        day = created.astimezone(PARIS).date()
        if status in FAILED:
            failures[day] = failures.get(day, 0) + 1
        if acked is not None:
            delays.setdefault(day, []).append((acked - created).total_seconds())
    return failures, delays
