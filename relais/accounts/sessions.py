"""What a session has proven: MFA done, when it started, recent re-authentication.

allauth keeps a log of the methods used in the session (password, mfa with its type, each
with a timestamp); Relais reads it rather than keeping a second truth.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from django.conf import settings
from django.http import HttpRequest

STARTED_KEY = "relais.session_started"
LAST_SEEN_KEY = "relais.last_seen"
# Re-checking activity on every request would write the session row each time.
LAST_SEEN_RESOLUTION = 30


def records(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(get_authentication_records(request, user))


def mfa_verified(request: HttpRequest) -> bool:
    """Has this session proven a second factor (at sign-in, enrolment or re-auth)?"""
    return any(record.get("method") == "mfa" for record in records(request))


def mark_factor_proven(request: HttpRequest, authenticator_id: int, kind: str) -> None:
    """Enrolling a factor proves possession of it: the session counts as MFA-verified."""
    record_authentication(request, request.user, "mfa", id=authenticator_id, type=kind)


def mark_started(request: HttpRequest) -> None:
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def expired(request: HttpRequest, now: float) -> str | None:
    """ "idle" or "absolute" when the session outlived a limit, else None."""
    started = request.session.get(STARTED_KEY)
    last_seen = request.session.get(LAST_SEEN_KEY)
    if not isinstance(started, int | float) or not isinstance(last_seen, int | float):
        return "unknown"
    if now - started > settings.RELAIS_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - last_seen > settings.RELAIS_SESSION_IDLE_SECONDS:
        return "idle"
    return None


def touch(request: HttpRequest, now: float) -> None:
    last_seen = request.session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_RESOLUTION:
        request.session[LAST_SEEN_KEY] = now


def recent(request: HttpRequest) -> list[dict[str, Any]]:
    window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    now = time.time()
    return [r for r in records(request) if now - float(r.get("at", 0)) <= window]


def strongly_reauthenticated(request: HttpRequest) -> bool:
    """Recently: a passkey (possession + user verification), or password and second factor."""
    latest = recent(request)
    factors = [r for r in latest if r.get("method") == "mfa"]
    if any(r.get("type") == "webauthn" for r in factors):
        return True
    return bool(factors) and any(r.get("method") == "password" for r in latest)


def recently_proved_password(request: HttpRequest) -> bool:
    return any(r.get("method") == "password" for r in recent(request))
