"""Exports: re-authenticate, choose a period and a format, receive the file — once.

The file is produced by a POST and streamed in the response: it has no URL, is stored
nowhere, and another browser cannot fetch it again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from relais.access.policy import Action
from relais.accounts.reauth import require_recent_reauthentication
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.actors import request_actor
from relais.pharmacies.current import current_pharmacy
from relais.screening.documents.exports import csv_chunks, export_pdf
from relais.screening.services import export_screenings
from relais.web.forms import PARIS


def _period(raw_from: str, raw_to: str) -> tuple[datetime, datetime] | None:
    try:
        first, last = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
    except ValueError:
        return None
    start = datetime.combine(first, time.min, tzinfo=PARIS)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=PARIS)
    return (start, end) if end > start else None


def _form(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    today = datetime.now(PARIS).date()
    values = {
        "start": request.POST.get("start") or (today - timedelta(days=7)).isoformat(),
        "end": request.POST.get("end") or today.isoformat(),
        "format": request.POST.get("format", "csv"),
    }
    return render(request, "web/export.html", {"values": values, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponseBase:
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    if request.method == "GET":
        return _form(request)
    pharmacy_id = current_pharmacy(request, Action.SCREENING_EXPORT)
    period = _period(request.POST.get("start", ""), request.POST.get("end", ""))
    if period is None:
        return _form(request, 422, _("Période invalide : la fin doit suivre le début."))
    try:
        found = export_screenings(request_actor(request), pharmacy_id, *period)
    except ValidationErrors:
        return _form(request, 422, _("Trop de dépistages sur cette période : réduisez-la."))
    stamp = f"{period[0]:%Y%m%d}-{period[1] - timedelta(days=1):%Y%m%d}"
    if request.POST.get("format") == "pdf":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            export_pdf(found), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="depistages-{stamp}.pdf"'
    else:
        response = StreamingHttpResponse(
            csv_chunks(found.views), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="depistages-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
