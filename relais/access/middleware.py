"""Enforce the route table on every request before any view runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound

from relais.access.actors import ANONYMOUS, Actor, actor_for_user
from relais.access.errors import AccessDeniedError
from relais.access.policy import can_anywhere
from relais.access.routes import ROUTES, ApiKeyRoute, Public, Rule, SignedIn

logger = logging.getLogger("relais.access")


def request_actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "_relais_actor", None)
    if actor is None:
        actor = actor_for_user(request.user) if hasattr(request, "user") else ANONYMOUS
        request._relais_actor = actor  # type: ignore[attr-defined]
    return actor


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
        return self.enforce(request, rule)

    def enforce(self, request: HttpRequest, rule: Rule) -> HttpResponse | None:
        if isinstance(rule, Public | ApiKeyRoute):
            return None
        actor = request_actor(request)
        if actor.kind == "anonymous":
            return redirect_to_login(request.get_full_path())
        if isinstance(rule, SignedIn) or can_anywhere(actor, rule.action):
            return None
        from relais.audit.events import record_refusal

        record_refusal(AccessDeniedError(actor, rule.action, None))
        return HttpResponseForbidden()
