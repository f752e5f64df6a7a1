"""The dashboard's figures: tests per day, positivity, transmission delays and failures.

Computing positivity reads results (health data), so this is an audited service; what it
returns is aggregates only, never a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.relay.models import Transmission
from relais.screening.models import Screening, ScreeningVersion
from relais.web.forms import PARIS


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
    require(actor, Action.DASHBOARD_VIEW, pharmacy_id)
    today = datetime.now(PARIS).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=PARIS)
    tests, positives = _tests(pharmacy_id, start)
    failures, delays = _transmissions(pharmacy_id, start)
    figures = [
        Day(
            d,
            tests.get(d, 0),
            positives.get(d, 0),
            failures.get(d, 0),
            median(delays[d]) if delays.get(d) else 0.0,
        )
        for d in (first + timedelta(days=i) for i in range(days))
    ]
    record_event(
        AuditAction.SCREENINGS_LISTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
        details={"view": "dashboard", "days": days, "count": sum(tests.values())},
    )
    return figures


def _tests(pharmacy_id: int, start: datetime) -> tuple[dict[date, int], dict[date, int]]:
    screenings = Screening.objects.filter(
        pharmacy_id=pharmacy_id, created_at__gte=start, status="active"
    ).values_list("id", "created_at", "current_version")
    current = {sid: (created, number) for sid, created, number in screenings}
    tests: dict[date, int] = {}
    positives: dict[date, int] = {}
    versions = ScreeningVersion.objects.filter(screening_id__in=list(current))
    for version in versions:
        created, number = current[version.screening_id]
        if version.number != number:
            continue
        day = created.astimezone(PARIS).date()
        tests[day] = tests.get(day, 0) + 1
        if version.result == "positive":
            positives[day] = positives.get(day, 0) + 1
    return tests, positives


def _transmissions(
    pharmacy_id: int, start: datetime
) -> tuple[dict[date, int], dict[date, list[float]]]:
    rows = Transmission.objects.filter(pharmacy_id=pharmacy_id, created_at__gte=start)
    failures: dict[date, int] = {}
    delays: dict[date, list[float]] = {}
    for created, status, acked in rows.values_list("created_at", "status", "acknowledged_at"):
        day = created.astimezone(PARIS).date()
        if status in {"rejected", "dead"}:
            failures[day] = failures.get(day, 0) + 1
        if acked is not None:
            delays.setdefault(day, []).append((acked - created).total_seconds())
    return failures, delays
