"""Error pages that reveal nothing: no path, no exception, no data echoed back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _page(status: int, title: str) -> HttpResponse:
    body = render_to_string("web/error.html", {"status": status, "title": title})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(400, "Requête invalide")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(403, "Accès refusé")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(404, "Page introuvable")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(500, "Erreur du service")
