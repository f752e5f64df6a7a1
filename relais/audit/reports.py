"""Queries behind the DPO / auditor screens and the breach report (no access checks here:
the services in ``relais.audit.services`` check and audit, then call these).

A scope is the list of pharmacies the reader may see, or ``None`` for the whole platform
(the auditor). Events are shown as time, actor, action, pharmacy, outcome and counts —
never the patient data, which the audit log does not hold anyway.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from relais.audit.actions import AuditAction
from relais.audit.models import AuditEvent
from relais.audit.subjects import ACCESS_ACTIONS, PersonKey, categories_for, persons_in

Scope = list[int] | None
MAX_ROWS = 500


def scoped(scope: Scope) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    return events if scope is None else events.filter(pharmacy_id__in=scope)


def in_period(
    events: QuerySet[AuditEvent], start: dt.datetime, end: dt.datetime
) -> QuerySet[AuditEvent]:
    return events.filter(occurred_at__gte=start, occurred_at__lt=end)


def events_about(scope: Scope, object_ids: dict[str, list[str]]) -> list[AuditEvent]:
    """Events whose object ids include any of these (per object type), newest first."""
    condition = Q(pk__in=[])
    for object_type, ids in object_ids.items():
        for object_id in ids:
            # The JSON text holds each id in quotes on every backend; jsonb's ``contains``
            # has no SQLite equivalent, so the search is on the text form.
            condition |= Q(object_type=object_type, ids_text__contains=f'"{object_id}"')
    events = scoped(scope).annotate(ids_text=Cast("object_ids", TextField()))
    return list(events.filter(condition).order_by("-occurred_at", "-id")[:MAX_ROWS])


def account_events(
    scope: Scope, actor_label: str, start: dt.datetime, end: dt.datetime
) -> list[AuditEvent]:
    kind, _, actor_id = actor_label.partition(":")
    if not actor_id:
        kind, actor_id = "user", actor_label
    events = in_period(scoped(scope), start, end).filter(actor_type=kind, actor_id=actor_id)
    return list(events.order_by("-occurred_at", "-id")[:MAX_ROWS])


def refusals_and_alerts(scope: Scope, start: dt.datetime, end: dt.datetime) -> list[AuditEvent]:
    events = in_period(scoped(scope), start, end).filter(
        Q(action=str(AuditAction.ACCESS_DENIED)) | Q(action=str(AuditAction.ALERT_RAISED))
    )
    return list(events.order_by("-occurred_at", "-id")[:MAX_ROWS])


CSV_HEADER = [
    "time",
    "actor",
    "action",
    "pharmacy",
    "object_type",
    "object_count",
    "outcome",
    "request_id",
]


def access_report_rows(scope: Scope, start: dt.datetime, end: dt.datetime) -> Iterator[list[str]]:
    """Every event of the period, oldest first, streamed (server-side cursor)."""
    yield CSV_HEADER
    events = in_period(scoped(scope), start, end).order_by("occurred_at", "id")
    columns = (
        "occurred_at",
        "actor_type",
        "actor_id",
        "action",
        "pharmacy_id",
        "object_type",
        "object_ids",
        "outcome",
        "request_id",
    )
    for row in events.values_list(*columns).iterator(chunk_size=2000):
        when, kind, actor_id, action, pharmacy, object_type, ids, outcome, request_id = row
        count = len(ids) if isinstance(ids, list) else 0
        yield [
            when.isoformat(),
            f"{kind}:{actor_id}",
            action,
            "" if pharmacy is None else str(pharmacy),
            object_type,
            str(count),
            outcome,
            request_id,
        ]


@dataclass(slots=True)
class PharmacyImpact:
    """One data controller's share of a breach: how many persons, which data."""

    pharmacy_id: int
    persons: set[PersonKey] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    events: int = 0

    @property
    def person_count(self) -> int:
        return len(self.persons)

    @property
    def patient_ids(self) -> list[str]:
        return sorted(key.split(":", 1)[1] for key in self.persons if key.startswith("patient:"))


def breach_impact(
    scope: Scope, start: dt.datetime, end: dt.datetime, actor_label: str = ""
) -> dict[int, PharmacyImpact]:
    """Per pharmacy: unique persons whose data was read or changed in [start, end)."""
    events = in_period(scoped(scope), start, end).filter(action__in=sorted(ACCESS_ACTIONS))
    if actor_label:
        kind, _, actor_id = actor_label.partition(":")
        events = (
            events.filter(actor_type=kind, actor_id=actor_id)
            if actor_id
            else events.filter(actor_type="user", actor_id=kind)
        )
    grouped: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    for pharmacy_id, object_type, ids in (
        events.exclude(pharmacy_id=None)
        .values_list("pharmacy_id", "object_type", "object_ids")
        .iterator(chunk_size=2000)
    ):
        if pharmacy_id is not None:
            grouped[pharmacy_id].append((object_type, ids))
    impacts: dict[int, PharmacyImpact] = {}
    for pharmacy_id, pairs in sorted(grouped.items()):
        impact = PharmacyImpact(pharmacy_id, persons=persons_in(pairs), events=len(pairs))
        for object_type, _ in pairs:
            impact.categories.update(categories_for(object_type))
        impacts[pharmacy_id] = impact
    return impacts
