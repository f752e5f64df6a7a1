"""Error pages that reveal nothing: no path, no exception, no data echoed back.

Under `/api/` the same errors are RFC 9457 problems, as the API's own answers are: a
pharmacy-software client mistyping a path gets JSON it can parse, not an HTML page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from relais.http.problems import respond

API_PREFIX = "/api/"


def _api_problem(request: HttpRequest, slug: str) -> HttpResponse | None:
    if not request.path.startswith(API_PREFIX):
        return None
    return respond(slug)


def _page(status: int, title: str) -> HttpResponse:
    body = render_to_string("web/error.html", {"status": status, "title": title})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_problem(request, "malformed-request") or _page(400, "Requête invalide")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_problem(request, "forbidden") or _page(403, "Accès refusé")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_problem(request, "not-found") or _page(404, "Page introuvable")


def server_error(request: HttpRequest) -> HttpResponse:
    return _api_problem(request, "server-error") or _page(500, "Erreur du service")
