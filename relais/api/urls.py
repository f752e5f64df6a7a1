"""`/api/v1/`: the ninja API's URLs, each in the route table, each answering problems.

Ninja answers an unsupported method with a bare 405; the wrapper makes it a problem too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from relais.access.policy import Action
from relais.access.routes import ApiKeyRoute, Public, Rule, register_routes
from relais.api.api import api
from relais.api.problems import CONTENT_TYPE, respond

OPERATION_ACTIONS: dict[str, Action] = {
    "screening_create": Action.SCREENING_CREATE,
    "screening_batch": Action.SCREENING_CREATE,
    "screening_list": Action.SCREENING_READ,
    "screening_detail": Action.SCREENING_READ,
    "screening_correct": Action.SCREENING_CORRECT,
    "screening_cancel": Action.SCREENING_CANCEL,
    "valueset_devices": Action.SCREENING_CREATE,
    "valueset_test_kinds": Action.SCREENING_CREATE,
}
PUBLIC_PAGES = ("openapi-json", "openapi-view", "api-root")


def problem_on_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:  # noqa: PLR2004
            problem = respond("method-not-allowed")
            problem["Allow"] = response.get("Allow", "")
            return problem
        return response

    return wrapper


def api_root(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """`/api/v1/` itself: nothing there (ninja needs the name to compute its root path)."""
    return respond("not-found", "the documentation is at /api/v1/docs")


def _patterns() -> list[URLPattern]:
    patterns, _app_name, _namespace = api.urls
    return [
        path(
            str(p.pattern),
            api_root if p.name == "api-root" else problem_on_405(p.callback),
            name=p.name,
        )
        for p in patterns
        if isinstance(p, URLPattern)
    ]


app_name = "api-v1"
urlpatterns = _patterns()

_rules: dict[str, Rule] = {f"api-v1:{name}": Public() for name in PUBLIC_PAGES}
_rules.update({f"api-v1:{name}": ApiKeyRoute(a) for name, a in OPERATION_ACTIONS.items()})
register_routes(_rules)
