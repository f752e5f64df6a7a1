"""The purge run: warnings, then expired data in bounded batches, then crypto-shredding.

Each batch is one ``purge_screenings`` call: one transaction, one audit event. A run
interrupted anywhere leaves only whole batches behind, and the next run recomputes what
is due from the data itself (there is no cursor to lose), so it resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from relais.access.actors import SYSTEM, Actor
from relais.privacy import schedule, selection
from relais.privacy.forgetting import orphaned_patients
from relais.privacy.models import ExpiryWarning
from relais.privacy.services.notices import warn_failing_screenings
from relais.privacy.services.purging import clear_orphaned_patients, purge_screenings
from relais.privacy.shredding import ShredReport, shred_expired_periods
from relais.screening.models import PreRegistration
from relais.screening.services import purge_expired_preregistrations

CLASSES = (selection.ACKNOWLEDGED, selection.FAILED)


@dataclass
class PurgeReport:
    """Counts per (class, pharmacy id); pharmacy None for platform-wide rows."""

    counts: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    batches: int = 0
    shred: ShredReport | None = None

    def total(self, retention_class: str | None = None) -> int:
        return sum(n for (c, _), n in self.counts.items() if retention_class in {None, c})


def batch_size() -> int:
    return int(getattr(settings, "RELAIS_PURGE_BATCH_SIZE", 500))


def purge(
    now: datetime, *, size: int | None = None, actor: Actor = SYSTEM, include_audit: bool = False
) -> PurgeReport:
    """Remove everything past retention at ``now``; returns what was removed."""
    report = PurgeReport()
    limit = size or batch_size()
    for retention_class in CLASSES:
        _purge_class(report, retention_class, now, limit, actor)
    _sweep_patients(report, limit, actor)
    report.counts[("preregistration", None)] += purge_expired_preregistrations(actor, now)
    if include_audit:
        from relais.audit.services_upkeep import purge_audit_events

        cutoff = now - timedelta(days=schedule.audit_days())
        report.counts[("audit", None)] += purge_audit_events(actor, cutoff)
    return report


def _purge_class(
    report: PurgeReport, retention_class: str, now: datetime, limit: int, actor: Actor
) -> None:
    while True:
        rows = selection.due(now, retention_class).order_by("pharmacy_id", "pk")
        batch = list(rows.values_list("pk", "pharmacy_id")[:limit])
        if not batch:
            return
        by_pharmacy: dict[int, list[object]] = defaultdict(list)
        for pk, pharmacy_id in batch:
            by_pharmacy[pharmacy_id].append(pk)
        purged = 0
        for pharmacy_id, ids in by_pharmacy.items():
            forgotten = purge_screenings(actor, pharmacy_id, ids, retention_class, now)
            report.counts[(retention_class, pharmacy_id)] += forgotten.screenings
            report.batches += 1
            purged += forgotten.screenings
        if not purged:  # due but refused under lock (revived meanwhile): next run
            return


def _sweep_patients(report: PurgeReport, limit: int, actor: Actor) -> None:
    while True:
        batch = list(orphaned_patients().values_list("pk", "pharmacy_id")[:limit])
        if not batch:
            return
        by_pharmacy: dict[int, list[object]] = defaultdict(list)
        for pk, pharmacy_id in batch:
            by_pharmacy[pharmacy_id].append(pk)
        cleared = 0
        for pharmacy_id, ids in by_pharmacy.items():
            cleared += clear_orphaned_patients(actor, pharmacy_id, ids)
            report.counts[("orphaned_patient", pharmacy_id)] += len(ids)
            report.batches += 1
        if not cleared:
            return


def dry_run(now: datetime) -> PurgeReport:
    """What ``purge`` would remove at ``now``, per class and pharmacy; changes nothing."""
    report = PurgeReport()
    for retention_class in CLASSES:
        _count(report, retention_class, selection.due(now, retention_class))
    _count(report, "orphaned_patient", orphaned_patients())
    _count(report, "preregistration", PreRegistration.objects.filter(expires_at__lte=now))
    from relais.audit.models import AuditEvent

    old = AuditEvent.objects.filter(occurred_at__lt=now - timedelta(days=schedule.audit_days()))
    _count(report, "audit", old)
    return report


def _count(report: PurgeReport, retention_class: str, rows: object) -> None:
    grouped = rows.order_by().values("pharmacy_id").annotate(n=Count("pk"))  # type: ignore[attr-defined]
    for row in grouped:
        report.counts[(retention_class, row["pharmacy_id"])] += row["n"]


def run_retention_job(now: datetime | None = None) -> int:
    """The worker's hourly step: warn, purge, then shred the periods left empty."""
    moment = now or timezone.now()
    announced = ExpiryWarning.objects.values("screening_id")
    if selection.failing_soon(moment).exclude(pk__in=announced).exists():
        warn_failing_screenings(SYSTEM, moment)
    report = purge(moment)
    report.shred = shred_expired_periods(SYSTEM)
    return report.total() + len(report.shred.destroyed)
