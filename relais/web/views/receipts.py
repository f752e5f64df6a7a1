"""The patient's receipt, streamed from memory (POST: no URL to share or to cache)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from relais.pharmacies.actors import request_actor
from relais.screening.errors import ScreeningNotFoundError
from relais.screening.services import issue_receipt


@require_POST
def receipt(request: HttpRequest) -> HttpResponse:
    try:
        pdf = issue_receipt(request_actor(request), request.POST.get("screening", ""))
    except ScreeningNotFoundError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="recu-depistage.pdf"'
    response["Cache-Control"] = "no-store"
    return response
