"""The gate of every API path: the key, its rate, then its scope, before any endpoint runs.

The route table says which action each method of an API path performs; here the presented
key is authenticated, counted against its rate limit (before anything is audited, so a
flood of refused calls cannot flood the log) and checked against that action. An endpoint
therefore cannot forget a scope check, and a path missing from the table is never reached.
Every refusal is an RFC 9457 problem; a refused scope is on record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from relais.access.errors import AccessDeniedError
from relais.access.policy import can
from relais.access.routes import ApiKeyRoute
from relais.core.services import record_refusal
from relais.http.problems import respond
from relais.pharmacies.apikeys.authentication import (
    ApiCaller,
    PharmacySuspendedError,
    authenticate_key,
    bearer_token,
)
from relais.pharmacies.apikeys.tokens import display

logger = logging.getLogger("relais.api")
_CALLER = "_relais_api_caller"


class LimitVerdict(Protocol):
    @property
    def allowed(self) -> bool: ...
    @property
    def limit(self) -> int: ...
    @property
    def retry_after(self) -> int: ...


KeyLimiter = Callable[[int], LimitVerdict]  # key id → one more request counted
_limiter: list[KeyLimiter] = []


def register_key_limiter(limiter: KeyLimiter) -> None:
    """Called once, from the API app's `ready`: the gate refuses to run without one."""
    _limiter[:] = [limiter]


def admit_api_key(request: HttpRequest, rule: ApiKeyRoute) -> HttpResponse | None:
    """None when the request may reach the endpoint (its caller then attached), else the
    refusal to send."""
    action = rule.action_for(request.method or "")
    if action is None:
        refused = respond("method-not-allowed")
        refused["Allow"] = ", ".join(sorted(rule.actions))
        return refused
    try:
        caller = _caller(request)
    except PharmacySuspendedError:
        return respond("pharmacy-suspended")
    if caller is None:
        return respond("unauthenticated")
    over = _over_limit(caller)
    if over is not None:
        return over
    if not can(caller.actor, action, caller.pharmacy_id):
        record_refusal(AccessDeniedError(caller.actor, action, caller.pharmacy_id))
        return respond("forbidden", f"this key's scopes do not allow {action}")
    setattr(request, _CALLER, caller)
    request._relais_actor = caller.actor  # type: ignore[attr-defined]
    return None


def admitted_caller(request: HttpRequest) -> ApiCaller | None:
    """The caller this gate admitted for `request`; None if it admitted none."""
    caller = getattr(request, _CALLER, None)
    return caller if isinstance(caller, ApiCaller) else None


def _caller(request: HttpRequest) -> ApiCaller | None:
    token = bearer_token(request.headers.get("Authorization", ""))
    return authenticate_key(token) if token is not None else None


def _over_limit(caller: ApiCaller) -> HttpResponse | None:
    if not _limiter:
        raise ImproperlyConfigured("no API-key rate limiter is registered: API refused")
    verdict = _limiter[0](caller.key_id)
    if verdict.allowed:
        return None
    logger.info("api rate limit key=%s", display(caller.prefix))
    refused = respond("rate-limited", f"at most {verdict.limit} requests per window")
    refused["Retry-After"] = str(verdict.retry_after)
    return refused
