"""Fixed-window rate limits kept in the database, so every process shares one count.

Buckets naming a client hold an HMAC of its address (the platform's blind-index key),
never the address: the counters table is no log of who visited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from relais.screening.models import RateLimitCounter
from relais.vault.blind import blind_index
from relais.vault.fields import PLATFORM_PHARMACY_ID


@dataclass(frozen=True, slots=True)
class Limit:
    hits: int
    window: timedelta


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_limit() -> Limit:
    """Per client address: a family pre-registering together stays well under it."""
    return Limit(_setting("RELAIS_PREREG_CLIENT_HITS", 30), timedelta(minutes=10))


def pharmacy_limit() -> Limit:
    """Per pharmacy, submissions only: far above a real day's queue, far below a flood."""
    return Limit(_setting("RELAIS_PREREG_PHARMACY_HITS", 500), timedelta(hours=1))


def client_bucket(address: str) -> str:
    return "client:" + blind_index(PLATFORM_PHARMACY_ID, "ratelimit_client", address).hex()


def pharmacy_bucket(pharmacy_id: int) -> str:
    return f"pharmacy:{pharmacy_id}"


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def hit(bucket: str, limit: Limit, now: datetime) -> bool:
    """Count one hit; False when the bucket is over its limit in the current window."""
    start = window_start(now, limit.window)
    with transaction.atomic():
        counter, _ = RateLimitCounter.objects.get_or_create(bucket=bucket, window_start=start)
        RateLimitCounter.objects.filter(pk=counter.pk).update(hits=F("hits") + 1)
        hits = RateLimitCounter.objects.values_list("hits", flat=True).get(pk=counter.pk)
    return hits <= limit.hits


def retry_after(limit: Limit, now: datetime) -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    end = window_start(now, limit.window) + limit.window
    return max(1, int((end - now).total_seconds()))


def forget_old_counters(now: datetime) -> int:
    """Delete counters of windows long over (called by the purge job)."""
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return deleted
