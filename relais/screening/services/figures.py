"""Aggregate figures of a pharmacy's screenings: tests and positives per day.

Counting positives reads results (health data), so this is an audited service; what it
returns is counts only, never a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.screening.kinds import Status
from relais.screening.models import Screening, ScreeningVersion


@dataclass(frozen=True, slots=True)
class DailyTests:
    tests: int = 0
    positives: int = 0


@service
def count_tests_by_day(
    actor: Actor, pharmacy_id: int, since: datetime, zone: tzinfo
) -> dict[date, DailyTests]:
    """Active screenings recorded from `since`, by recording day in `zone` (days without
    any are absent), with how many of them are positive in their current version."""
    require(actor, Action.DASHBOARD_VIEW, pharmacy_id)
    screenings = Screening.objects.filter(
        pharmacy_id=pharmacy_id, created_at__gte=since, status=Status.ACTIVE
    ).values_list("id", "created_at", "current_version")
    current = {sid: (created, number) for sid, created, number in screenings}
    tests: dict[date, int] = {}
    positives: dict[date, int] = {}
    for version in ScreeningVersion.objects.filter(screening_id__in=list(current)):
        created, number = current[version.screening_id]
        if version.number != number:
            continue
        day = created.astimezone(zone).date()
        tests[day] = tests.get(day, 0) + 1
        if version.result == "positive":
            positives[day] = positives.get(day, 0) + 1
    record_event(
        AuditAction.SCREENINGS_LISTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
        details={"view": "dashboard", "since": since.isoformat(), "count": sum(tests.values())},
    )
    return {day: DailyTests(count, positives.get(day, 0)) for day, count in tests.items()}
