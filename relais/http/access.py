"""Enforce the route table on every request before any view runs.

The one place that decides whether a request reaches a view at all: a page by the
signed-in account's roles, an API path by the presented key's scopes (`api_gate`). The
services decide again with the record at hand (which pharmacy, which screening).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound

from relais.access.errors import AccessDeniedError
from relais.access.policy import can_anywhere
from relais.access.routes import ROUTES, ApiKeyRoute, Public, Requires, SignedIn
from relais.core.services import record_refusal
from relais.http.api_gate import admit_api_key
from relais.pharmacies.actors import request_actor

logger = logging.getLogger("relais.access")


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else ""
        rule = ROUTES.get(name)
        if rule is None:
            if name.startswith("static") and settings.DEBUG:
                return None
            logger.warning("route without permission entry refused: %s", name)
            return HttpResponseNotFound()
        if isinstance(rule, Public):
            return None
        if isinstance(rule, ApiKeyRoute):
            return admit_api_key(request, rule)
        return enforce_page(request, rule)


def enforce_page(request: HttpRequest, rule: SignedIn | Requires) -> HttpResponse | None:
    actor = request_actor(request)
    if actor.kind == "anonymous":
        return redirect_to_login(request.get_full_path())
    if isinstance(rule, SignedIn) or can_anywhere(actor, rule.action):
        return None
    record_refusal(AccessDeniedError(actor, rule.action, None))
    return HttpResponseForbidden()
