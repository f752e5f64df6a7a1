"""Follow-up: today's list and history with each transmission's status, rejections first
with the platform's reason, and a screening's page (versions, correction, cancellation,
replay of a dead transmission)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, can
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.actors import request_actor
from relais.pharmacies.current import current_pharmacy
from relais.relay.services.replay import (
    NotReplayableError,
    TransmissionNotFoundError,
    replay_transmission,
)
from relais.relay.services.status import (
    TransmissionView,
    transmission_status_for,
    transmissions_for_pharmacy,
)
from relais.screening.errors import ScreeningNotFoundError
from relais.screening.services import (
    cancel_screening,
    correct_screening,
    get_screening,
    list_screenings,
)
from relais.screening.valuesets import active_devices
from relais.web import forms
from relais.web.corrections import correction_changes, correction_values
from relais.web.forms import PARIS

NEEDS_ACTION = ("rejected", "dead")


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw else datetime.now(PARIS).date()
    except ValueError:
        return datetime.now(PARIS).date()


def _latest_by_screening(rows: list[TransmissionView]) -> dict[str, TransmissionView]:
    latest: dict[str, TransmissionView] = {}
    for row in rows:
        key = str(getattr(row, "screening_id", ""))
        current = latest.get(key)
        if current is None or row.version_number >= current.version_number:
            latest[key] = row
    return latest


def _statuses(request: HttpRequest, ids: list[str]) -> dict[str, TransmissionView]:
    """The latest transmission of each listed screening."""
    actor = request_actor(request)
    found: dict[str, TransmissionView] = {}
    for screening_id in ids:
        rows = transmission_status_for(actor, screening_id)
        if rows:
            found[screening_id] = rows[-1]
    return found


@require_GET
def followup(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    pharmacy_id = current_pharmacy(request, Action.SCREENING_READ)
    day = _day(request.GET.get("day"))
    start = datetime.combine(day, time.min, tzinfo=PARIS)
    page = list_screenings(
        actor,
        pharmacy_id,
        recorded_from=start,
        recorded_to=start + timedelta(days=1),
        cursor=request.GET.get("cursor") or None,
        limit=50,
    )
    statuses = _statuses(request, [item.id for item in page.items])
    to_fix = transmissions_for_pharmacy(actor, pharmacy_id, statuses=NEEDS_ACTION, limit=50)
    rows = [(item, statuses.get(item.id)) for item in page.items]
    context = {
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "is_today": day == datetime.now(PARIS).date(),
        "rows": rows,
        "next_cursor": page.next_cursor,
        "to_fix": to_fix,
        "to_fix_screenings": _latest_by_screening(to_fix),
    }
    return render(request, "web/followup.html", context)


def _screening_context(request: HttpRequest, screening_id: UUID) -> dict[str, Any]:
    actor = request_actor(request)
    try:
        view = get_screening(actor, screening_id)
    except ScreeningNotFoundError:
        raise Http404 from None
    transmissions = transmission_status_for(actor, str(screening_id))
    rejected = [t for t in transmissions if t.status == "rejected"]
    return {
        "screening": view,
        "transmissions": transmissions,
        "rejected": rejected[-1] if rejected else None,
        "devices": active_devices(),
        "values": correction_values(view),
        "errors": {},
        "general_errors": [],
        "may_cancel": can(actor, Action.SCREENING_CANCEL, view.pharmacy_id),
        "may_replay": can(actor, Action.TRANSMISSION_REPLAY, view.pharmacy_id),
    }


@require_GET
def screening(request: HttpRequest, screening_id: UUID) -> HttpResponse:
    return render(request, "web/screening.html", _screening_context(request, screening_id))


@require_POST
def correct(request: HttpRequest, screening_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    context = _screening_context(request, screening_id)
    changes = correction_changes(request.POST, context["screening"])
    try:
        correct_screening(actor, screening_id, changes)
    except ValidationErrors as errors:
        by_input, general = forms.errors_by_input(errors.errors)
        context.update(values=request.POST.dict(), errors=by_input, general_errors=general)
        return render(request, "web/screening.html", context, status=422)
    messages.success(request, _("Correction enregistrée : une nouvelle version part vers SI-DEP."))
    return redirect("web:screening", screening_id=screening_id)


@require_POST
def cancel(request: HttpRequest, screening_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    try:
        cancel_screening(actor, screening_id, request.POST.get("reason", ""))
    except ScreeningNotFoundError:
        raise Http404 from None
    except ValidationErrors as errors:
        context = _screening_context(request, screening_id)
        _by_input, general = forms.errors_by_input(errors.errors)
        context.update(cancel_errors=general or [e.code for e in errors.errors])
        return render(request, "web/screening.html", context, status=422)
    messages.success(request, _("Dépistage annulé : l'annulation part vers SI-DEP."))
    return redirect("web:screening", screening_id=screening_id)


@require_POST
def replay(request: HttpRequest, transmission_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        row = replay_transmission(actor, transmission_id)
    except (TransmissionNotFoundError, AccessDeniedError):
        raise Http404 from None
    except NotReplayableError:
        messages.info(request, _("Cette transmission n'est plus en échec définitif."))
        return redirect("web:followup")
    messages.success(request, _("Transmission remise en file d'envoi."))
    return redirect("web:screening", screening_id=row.screening_id)
