"""`/api/v1/`: the ninja API's URLs, each in the route table, each answering problems.

Ninja answers an unsupported method with a bare 405; the wrapper makes it a problem too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from relais.access.routes import ApiKeyRoute, Public, Rule, register_routes
from relais.api.api import api
from relais.api.operations import OPERATIONS, PUBLIC_PAGES
from relais.http.problems import CONTENT_TYPE, respond


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
    """One pattern per path: ninja yields one per operation, all with the path's name."""
    patterns, _app_name, _namespace = api.urls
    unique: list[URLPattern] = []
    for p in patterns:
        if isinstance(p, URLPattern) and p.name not in {u.name for u in unique}:
            callback = api_root if p.name == "api-root" else problem_on_405(p.callback)
            unique.append(path(str(p.pattern), callback, name=p.name))
    return unique


app_name = "api-v1"
urlpatterns = _patterns()

_rules: dict[str, Rule] = {f"api-v1:{name}": Public() for name in PUBLIC_PAGES}
_rules.update({f"api-v1:{name}": ApiKeyRoute(by_method) for name, by_method in OPERATIONS.items()})
register_routes(_rules)
