"""Which screenings have outlived their retention, by class (no access check: run by the
purge services inside their transaction, and by the dry run).

A screening's personal data lives in its versions (sealed) and its patient. It is due when
its *current* version has settled:
- ``acknowledged``: every transmission of the current version was acknowledged, and the
  last acknowledgement is older than the pharmacy's retention (default 7 days);
- ``failed``: the current version was rejected or died, nothing is in flight, and the
  failure is older than the failed-item limit (30 days). A correction makes a new current
  version, which is judged afresh: "kept until corrected".
A screening with any transmission still queued, sending or retrying is never due.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from relais.privacy import schedule
from relais.relay.models import CLAIMABLE, Transmission, TransmissionStatus
from relais.screening.models import Screening, ScreeningVersion

ACKNOWLEDGED, FAILED = "acknowledged", "failed"
FAILED_STATUSES = (TransmissionStatus.REJECTED, TransmissionStatus.DEAD)


def _current(**filters: object) -> QuerySet[Transmission]:
    return Transmission.objects.filter(
        screening_id=OuterRef("pk"), version_number=OuterRef("current_version"), **filters
    )


# The annotations below are invisible to django-stubs, hence ``QuerySet[Any]``.
def annotated() -> QuerySet[Any]:
    """Screenings still holding personal data, with how far their current version got."""
    in_flight = Transmission.objects.filter(screening_id=OuterRef("pk"), status__in=CLAIMABLE)
    return (
        Screening.objects.filter(Exists(ScreeningVersion.objects.filter(screening=OuterRef("pk"))))
        .annotate(
            in_flight=Exists(in_flight),
            sent=Exists(_current()),
            not_acknowledged=Exists(_current().exclude(status=TransmissionStatus.ACKNOWLEDGED)),
            acknowledged_at=Subquery(
                _current(status=TransmissionStatus.ACKNOWLEDGED)
                .order_by("-acknowledged_at")
                .values("acknowledged_at")[:1]
            ),
            failed_at=Subquery(
                _current(status__in=FAILED_STATUSES)
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
        )
        .filter(in_flight=False, sent=True)
    )


def _acknowledged_before(now: datetime) -> Q:
    """Per pharmacy: contracts with their own period, everyone else the default."""
    overrides = schedule.contract_overrides()
    by_days: dict[int, list[int]] = {}
    for pharmacy_id, days in overrides.items():
        by_days.setdefault(days, []).append(pharmacy_id)
    default = Q(acknowledged_at__lte=now - timedelta(days=schedule.default_screening_days()))
    condition = default & ~Q(pharmacy_id__in=list(overrides))
    for days, pharmacies in by_days.items():
        condition |= Q(pharmacy_id__in=pharmacies, acknowledged_at__lte=now - timedelta(days=days))
    return condition


def due(now: datetime, retention_class: str) -> QuerySet[Any]:
    """Screenings of one class whose personal data is past retention at ``now``."""
    rows = annotated()
    if retention_class == ACKNOWLEDGED:
        return rows.filter(_acknowledged_before(now), not_acknowledged=False)
    if retention_class == FAILED:
        cutoff = now - timedelta(days=schedule.failed_days())
        return rows.filter(failed_at__lte=cutoff)
    raise ValueError(f"unknown retention class {retention_class!r}")


def failing_soon(now: datetime) -> QuerySet[Any]:
    """Failed screenings whose purge falls within the warning notice (not yet due)."""
    limit, notice = schedule.failed_days(), schedule.warning_days()
    return annotated().filter(
        failed_at__lte=now - timedelta(days=limit - notice),
        failed_at__gt=now - timedelta(days=limit),
    )


def settled_by_acknowledgement(screening_ids: Sequence[uuid.UUID | str]) -> QuerySet[Any]:
    """Of these screenings, the ones SI-DEP has acknowledged (erasable early on request)."""
    return annotated().filter(
        pk__in=screening_ids, not_acknowledged=False, acknowledged_at__isnull=False
    )
