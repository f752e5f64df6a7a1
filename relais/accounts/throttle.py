"""Throttling of sign-in and second-factor attempts, per account key and per client address.

Failures are counted in a table (``LoginThrottle``) so that every gunicorn worker, on SQLite
or PostgreSQL, sees the same counts. Past a free allowance each further failure doubles the
wait, up to a ceiling: slow enough to make credential stuffing pointless, short enough that a
colleague mistyping does not lock a pharmacy counter for long. The account key is an HMAC of
the identifier typed (existing or not), so an unknown address is throttled exactly like a
known one and the table holds no e-mail address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from relais.accounts.models import LoginThrottle


@dataclass(frozen=True, slots=True)
class Policy:
    free_failures: int  # failures allowed before any delay
    base_delay: dt.timedelta  # delay after the first failure past the allowance
    max_delay: dt.timedelta
    forget_after: dt.timedelta  # a quiet period that resets the count


ACCOUNT = Policy(5, dt.timedelta(seconds=30), dt.timedelta(minutes=30), dt.timedelta(hours=6))
# Pharmacies often share one address (a counter network behind one box): more room per IP.
ADDRESS = Policy(20, dt.timedelta(seconds=30), dt.timedelta(minutes=30), dt.timedelta(hours=6))
POLICIES = {"account": ACCOUNT, "ip": ADDRESS, "mfa": ACCOUNT}


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    scope: str  # "account" | "ip" | "mfa"
    key: str


def _digest(scope: str, identifier: str) -> str:
    secret = f"relais-throttle:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, f"{scope}:{identifier}".encode(), hashlib.sha256).hexdigest()


def account_key(identifier: str) -> ThrottleKey:
    return ThrottleKey("account", _digest("account", identifier.strip().lower()))


def address_key(client_ip: str) -> ThrottleKey:
    return ThrottleKey("ip", _digest("ip", client_ip))


def mfa_key(user_id: object) -> ThrottleKey:
    return ThrottleKey("mfa", _digest("mfa", str(user_id)))


def blocked_for(keys: list[ThrottleKey]) -> dt.timedelta | None:
    """The remaining wait if any key is blocked now, else None."""
    now = timezone.now()
    waits: list[dt.timedelta] = [
        row.blocked_until - now
        for key in keys
        for row in LoginThrottle.objects.filter(scope=key.scope, key=key.key)
        if row.blocked_until and row.blocked_until > now
    ]
    longest: dt.timedelta | None = max(waits) if waits else None
    return longest


def delay_after(policy: Policy, failures: int) -> dt.timedelta | None:
    """The wait imposed after ``failures`` consecutive failures (None within the allowance)."""
    excess = failures - policy.free_failures
    if excess < 0:
        return None
    grown: dt.timedelta = policy.base_delay * (2 ** min(excess, 20))
    return min(grown, policy.max_delay)


def record_failure(keys: list[ThrottleKey]) -> bool:
    """Count one failure on every key; True when one of them is now blocked."""
    now = timezone.now()
    blocked = False
    with transaction.atomic():
        for key in keys:
            policy = POLICIES[key.scope]
            row, _ = LoginThrottle.objects.select_for_update().get_or_create(
                scope=key.scope, key=key.key
            )
            if row.last_failure_at and now - row.last_failure_at > policy.forget_after:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            delay = delay_after(policy, row.failures)
            row.blocked_until = now + delay if delay else None
            blocked = blocked or delay is not None
            row.save()
    return blocked


def record_success(keys: list[ThrottleKey]) -> None:
    """Forget the account's failures; an address keeps its count (it may be an attacker's
    who also owns one valid account)."""
    LoginThrottle.objects.filter(
        scope__in=[k.scope for k in keys if k.scope != "ip"],
        key__in=[k.key for k in keys if k.scope != "ip"],
    ).delete()
