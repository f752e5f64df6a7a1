"""Data-subject requests, pharmacy side: thin views over ``services.subjects``.

Everything that names a person (NIR, e-mail, patient id) comes in a POST body, never a
URL; every page requires a fresh re-authentication, like exports; the export is built in
memory and streamed to this browser only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from relais.access.policy import Action
from relais.accounts.reauth import require_recent_reauthentication
from relais.core.fielderrors import ValidationErrors
from relais.core.fielderrors import render as render_error
from relais.pharmacies.actors import request_actor
from relais.pharmacies.current import current_pharmacy
from relais.privacy import schedule
from relais.privacy.portability import as_json, as_pdf
from relais.privacy.services.subjects import (
    LEGAL_BASES,
    erase_subject,
    export_subject,
    find_subject,
    rectify_subject,
)
from relais.screening.errors import PatientNotFoundError

IDENTITY_FIELDS = ("last_name", "first_names", "sex", "birth_date", "nir", "email", "phone")


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    pharmacy_id = current_pharmacy(request, Action.SUBJECT_REQUEST)
    base = {"retention_days": schedule.screening_days(pharmacy_id), "rules": schedule.schedule()}
    return render(request, "privacy/requests.html", {**base, **context}, status=status)


def _errors(exc: ValidationErrors) -> list[str]:
    lang = (get_language() or "fr")[:2]
    return [render_error(error, lang) for error in exc.errors]


def _fresh(request: HttpRequest) -> HttpResponse | None:
    """Re-authentication first; a GET after it lands back on the requests page."""
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    if request.method != "POST":
        return HttpResponseRedirect(reverse("privacy:requests"))
    return None


@require_http_methods(["GET", "POST"])
def requests_page(request: HttpRequest) -> HttpResponse:
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    if request.method == "GET":
        return _page(request, {})
    pharmacy_id = current_pharmacy(request, Action.SUBJECT_REQUEST)
    nir, email = request.POST.get("nir", "").strip(), request.POST.get("email", "").strip()
    if not nir and not email:
        return _page(request, {"errors": [_("Saisissez un NIR ou une adresse e-mail.")]}, 422)
    try:
        found = find_subject(request_actor(request), pharmacy_id, nir=nir, email=email)
    except ValidationErrors as exc:
        return _page(request, {"errors": _errors(exc)}, 422)
    return _page(request, {"searched": True, "patients": found})


def _chunks(payload: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """Streamed from memory: the file never touches a disk and has no URL."""
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    stop = _fresh(request)
    if stop is not None:
        return stop
    pharmacy_id = current_pharmacy(request, Action.SUBJECT_REQUEST)
    try:
        data = export_subject(request_actor(request), pharmacy_id, request.POST.get("patient"))
    except PatientNotFoundError:
        raise Http404 from None
    pdf = request.POST.get("format") == "pdf"
    payload = as_pdf(data) if pdf else as_json(data)
    response = StreamingHttpResponse(
        _chunks(payload),
        content_type="application/pdf" if pdf else "application/json; charset=utf-8",
    )
    name = f"acces-{data.patient_id}.{'pdf' if pdf else 'json'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _changes(request: HttpRequest) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in IDENTITY_FIELDS:
        value = request.POST.get(name, "").strip()
        if value:
            changes[name] = value
    if "first_names" in changes:
        changes["first_names"] = [n.strip() for n in changes["first_names"].split(",") if n.strip()]
    return changes


@require_http_methods(["GET", "POST"])
def rectify(request: HttpRequest) -> HttpResponse:
    stop = _fresh(request)
    if stop is not None:
        return stop
    pharmacy_id = current_pharmacy(request, Action.SUBJECT_REQUEST)
    changes = _changes(request)
    if not changes:
        return _page(request, {"errors": [_("Indiquez au moins un champ à rectifier.")]}, 422)
    notes = request.POST.get("notes", "").strip() or _("Rectification demandée par la personne")
    try:
        count = rectify_subject(
            request_actor(request), pharmacy_id, request.POST.get("patient"), changes, notes
        )
    except PatientNotFoundError:
        raise Http404 from None
    except ValidationErrors as exc:
        return _page(request, {"errors": _errors(exc)}, 422)
    return _page(request, {"rectified": count})


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    stop = _fresh(request)
    if stop is not None:
        return stop
    pharmacy_id = current_pharmacy(request, Action.SUBJECT_REQUEST)
    try:
        outcome = erase_subject(request_actor(request), pharmacy_id, request.POST.get("patient"))
    except PatientNotFoundError:
        raise Http404 from None
    basis = LEGAL_BASES.get(outcome.legal_basis, "")
    return _page(request, {"erasure": outcome, "legal_basis": basis})
