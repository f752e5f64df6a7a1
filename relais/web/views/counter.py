"""The counter: one screen, keyboard only, for a walk-in, a pre-registration or a returning
patient. Identities travel in POST bodies only; every page here is `no-store`.

A lost connection never duplicates (the service finds the same patient, kind and sample
minute) and never loses what was typed: every error re-renders the form filled in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from relais.access.policy import Action
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.actors import request_actor
from relais.pharmacies.current import current_pharmacy
from relais.screening.errors import ScreeningNotFoundError
from relais.screening.readmodels import RecordOutcome
from relais.screening.services import (
    find_patient,
    pickup_preregistration,
    record_for_patient,
    record_from_preregistration,
    record_screening,
)
from relais.screening.submission import validate_submission
from relais.screening.valuesets import active_devices, device_lookup
from relais.web import forms

LAST_DEVICE = "web_last_device"
LAST_SCREENING = "web_last_screening"
MODES = ("walkin", "prereg", "returning")


def _page(request: HttpRequest, mode: str, status: int = 200, **extra: Any) -> HttpResponse:
    values = dict(extra.pop("values", {}))
    values.setdefault("test_kind", "rapid_antigen")
    values.setdefault("device_id", request.session.get(LAST_DEVICE, ""))
    values.setdefault("sampled_at", forms.now_local_input())
    context = {
        "mode": mode,
        "values": values,
        "errors": {},
        "general_errors": [],
        "devices": active_devices(),
        "last_screening": request.session.get(LAST_SCREENING),
        **extra,
    }
    return render(request, "web/counter.html", context, status=status)


@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """GET: the empty screen (mode from `?mode=`); POST: record a walk-in patient."""
    if request.method == "GET":
        mode = request.GET.get("mode", "walkin")
        return _page(request, mode if mode in MODES else "walkin")
    actor = request_actor(request)
    pharmacy_id = current_pharmacy(request, Action.SCREENING_CREATE)
    try:
        outcome = record_screening(actor, pharmacy_id, forms.submission(request.POST))
    except ValidationErrors as errors:
        return _invalid(request, "walkin", errors)
    return _recorded(request, outcome)


def _invalid(
    request: HttpRequest, mode: str, errors: ValidationErrors, **extra: Any
) -> HttpResponse:
    by_input, general = forms.errors_by_input(errors.errors)
    return _page(
        request,
        mode,
        status=422,
        values=request.POST.dict(),
        errors=by_input,
        general_errors=general,
        **extra,
    )


def _recorded(request: HttpRequest, outcome: RecordOutcome) -> HttpResponse:
    request.session[LAST_SCREENING] = str(outcome.screening.pk)
    device = request.POST.get("device_id", "")
    if device:
        request.session[LAST_DEVICE] = device
    if outcome.created:
        messages.success(request, _("Dépistage enregistré. Il part vers SI-DEP."))
    else:
        messages.info(request, _("Ce dépistage était déjà enregistré : aucun doublon créé."))
    return redirect("web:counter")


@require_POST
def validate(request: HttpRequest) -> HttpResponse:
    """Validation as you type (HTMX): the errors of the fields already touched, as
    out-of-band fragments; nothing is stored, nothing is logged."""
    touched = [name for name in request.POST.getlist("touched") if name in forms.ALL_INPUTS]
    errors: tuple[Any, ...] = ()
    try:
        from django.utils import timezone

        validate_submission(
            forms.submission(request.POST), now=timezone.now(), devices=device_lookup
        )
    except ValidationErrors as found:
        errors = found.errors
    mode = request.POST.get("mode", "walkin")
    names = [n for n in touched if mode == "walkin" or n not in forms.PATIENT_INPUTS]
    by_input, _general = forms.errors_by_input(errors, only=names)
    context = {"names": names, "errors": by_input}
    return render(request, "web/_validation.html", context)


@require_POST
def pickup(request: HttpRequest) -> HttpResponse:
    """A pre-registration by its code: show who it is, then record the test only."""
    actor = request_actor(request)
    pharmacy_id = current_pharmacy(request, Action.PREREGISTRATION_PICKUP)
    code = request.POST.get("code", "")
    try:
        if request.POST.get("step") == "record":
            outcome = record_from_preregistration(
                actor, pharmacy_id, code, forms.test_body(request.POST)
            )
            return _recorded(request, outcome)
        picked = pickup_preregistration(actor, pharmacy_id, code)
    except ScreeningNotFoundError:
        message = _("Aucune pré-inscription valable avec ce code (erroné, expiré ou déjà utilisé).")
        return _page(request, "prereg", status=404, code=code, general_errors=[message])
    except ValidationErrors as errors:
        picked = pickup_preregistration(actor, pharmacy_id, code)
        return _invalid(request, "prereg", errors, code=code, patient=picked.patient)
    return _page(request, "prereg", code=code, patient=picked.patient)


@require_POST
def returning(request: HttpRequest) -> HttpResponse:
    """A returning patient by NIR or e-mail (blind index), then the test only."""
    actor = request_actor(request)
    pharmacy_id = current_pharmacy(request, Action.SCREENING_CREATE)
    if request.POST.get("step") == "record":
        return _record_returning(request, pharmacy_id)
    query = request.POST.get("query", "").strip()
    nir, email = (None, query) if "@" in query else (query, None)
    try:
        found = find_patient(actor, pharmacy_id, nir=nir, email=email) if query else []
    except ValidationErrors:
        found = []
    if not found:
        message = _("Aucun patient de la pharmacie avec ce NIR ou cette adresse e-mail.")
        return _page(request, "returning", status=404, general_errors=[message], query=query)
    return _page(request, "returning", matches=found, query=query)


def _record_returning(request: HttpRequest, pharmacy_id: int) -> HttpResponse:
    actor = request_actor(request)
    patient_id = request.POST.get("patient_id", "")
    try:
        outcome = record_for_patient(actor, pharmacy_id, patient_id, forms.test_body(request.POST))
    except ScreeningNotFoundError:
        message = _("Ce patient n'est plus disponible : recherchez-le à nouveau.")
        return _page(request, "returning", status=404, general_errors=[message])
    except ValidationErrors as errors:
        return _invalid(request, "returning", errors, patient_id=patient_id)
    return _recorded(request, outcome)
