"""Retry policy: exponential backoff with full jitter, and the platform's Retry-After.

Full jitter (a uniform draw between 0 and the exponential ceiling) spreads the retries of
many workers that failed together, so a platform coming back is not hit by one wave.
A Retry-After from the platform is a floor: we never come back earlier than it asked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

from django.conf import settings

# A platform asking for more than an hour is treated as asking for an hour: the circuit
# breaker and the operator's alert take over from there.
MAX_RETRY_AFTER_SECONDS: Final = 3600.0

_random = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base_seconds: float
    cap_seconds: float
    max_attempts: int

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        return cls(
            base_seconds=settings.RELAIS_RELAY_BACKOFF_BASE_MS / 1000,
            cap_seconds=settings.RELAIS_RELAY_BACKOFF_CAP_MS / 1000,
            max_attempts=settings.RELAIS_RELAY_MAX_ATTEMPTS,
        )

    def ceiling(self, attempts: int) -> float:
        """The exponential ceiling after `attempts` attempts (1 → base, 2 → 2·base...)."""
        exponent = min(max(attempts - 1, 0), 62)
        return float(min(self.cap_seconds, self.base_seconds * 2**exponent))

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait before the next attempt: full jitter, floored by Retry-After."""
        jittered = _random.uniform(0, self.ceiling(attempts))
        if retry_after is None:
            return jittered
        return max(jittered, min(retry_after, MAX_RETRY_AFTER_SECONDS))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_SECONDS)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
