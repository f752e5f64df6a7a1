"""Crypto-shredding once a period is past retention: the guard and the job step.

The vault refuses to destroy a period whose keys still seal rows (its own guard); this
guard adds what only retention knows: no screening recorded in the period still holds
personal data (nor waits for a transmission), and no pre-registration of the period is
left. MFA secrets sealed under the platform's key of the period are re-sealed first (the
accounts app's guard would refuse otherwise), so shredding never locks anybody out.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from relais.access.actors import Actor
from relais.screening.models import PreRegistration, Screening
from relais.vault.keyops import can_destroy_period, destroy_period
from relais.vault.models import KeyStatus, PeriodKey
from relais.vault.periods import PARIS, current_period, validate_period

logger = logging.getLogger("relais.privacy")


def period_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a Paris month, as aware datetimes."""
    year, month = (int(part) for part in validate_period(period).split("-"))
    start = dt.datetime(year, month, 1, tzinfo=PARIS)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=PARIS)
    return start, end


def retention_guard(period: str) -> tuple[bool, str]:
    start, end = period_bounds(period)
    held = Screening.objects.filter(
        created_at__gte=start, created_at__lt=end, versions__isnull=False
    ).distinct()
    count = held.count()
    if count:
        return False, f"{count} screenings of {period} are not past retention"
    pending = PreRegistration.objects.filter(created_at__gte=start, created_at__lt=end).count()
    if pending:
        return False, f"{pending} pre-registrations of {period} are not past retention"
    return True, ""


@dataclass
class ShredReport:
    destroyed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def candidate_periods() -> list[str]:
    return list(
        PeriodKey.objects.filter(status=KeyStatus.ACTIVE, period__lt=current_period())
        .order_by("period")
        .values_list("period", flat=True)
    )


def shred_expired_periods(actor: Actor) -> ShredReport:
    """Destroy the keys of every past period whose data is all gone; report the others."""
    report = ShredReport()
    periods = candidate_periods()
    if periods:
        _reseal_account_secrets(periods)
    for period in periods:
        allowed, reason = can_destroy_period(period)
        if not allowed:
            report.refused[period] = reason
            continue
        report.destroyed += destroy_period(period, actor=actor)
        logger.info("period %s shredded", period)
    return report


def _reseal_account_secrets(periods: list[str]) -> None:
    from relais.accounts.secret_keys import reseal_account_secrets, secrets_guard

    if any(not secrets_guard(period)[0] for period in periods):
        reseal_account_secrets()
