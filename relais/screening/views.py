"""Pre-registration pages: the patient's public form, the pharmacy's poster, staff pickup.

Thin: parse the form into the API body's shape, call one service, render. Nothing personal
ever goes into a URL (codes and identities travel in POST bodies) and pages holding a code
or an identity are marked `no-store`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from relais.access.actors import ANONYMOUS, Actor
from relais.access.policy import Action, pharmacies_for
from relais.core.context import client_address
from relais.core.fielderrors import ValidationErrors
from relais.core.fielderrors import render as render_error
from relais.pharmacies.actors import request_actor
from relais.screening import ratelimit
from relais.screening.codes import display_code
from relais.screening.errors import PreRegistrationClosedError, PreRegistrationNotFoundError
from relais.screening.links import pharmacy_for_slug
from relais.screening.pagetexts import TEXTS, language
from relais.screening.services.preregistration import (
    create_preregistration,
    pickup_preregistration,
    preregistration_link,
    record_from_preregistration,
)
from relais.screening.validation import NO_NIR_REASONS
from relais.screening.valuesets import active_devices

PARIS = ZoneInfo("Europe/Paris")
PATIENT_FIELDS = ("last_name", "first_names", "sex", "birth_date", "nir", "no_nir_reason")
ADDRESS_FIELDS = ("line", "postal_code", "city", "country")


def _qr_svg(content: str) -> SafeString:
    """A QR code as inline SVG markup (never a file); segno escapes nothing we pass in."""
    svg = segno.make(content, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308 - generated SVG of our own code or URL


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _too_many(request: HttpRequest, lang: str, retry_after: int) -> HttpResponse:
    context = {"t": TEXTS[lang], "lang": lang}
    response = render(request, "screening/too_many.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _patient_body(post: Any) -> dict[str, Any]:
    body: dict[str, Any] = {name: post.get(name, "").strip() or None for name in PATIENT_FIELDS}
    body["email"] = post.get("email", "").strip() or None
    body["phone"] = post.get("phone", "").strip() or None
    address = {name: post.get(f"address_{name}", "").strip() or None for name in ADDRESS_FIELDS}
    body["address"] = address if any(address.values()) else None
    return body


def _errors_by_field(errors: ValidationErrors, lang: str) -> dict[str, str]:
    shown: dict[str, str] = {}
    for error in errors.errors:
        key = error.field.removeprefix("patient.").replace(".", "_")
        key = "first_names" if key.startswith("first_names") else key
        shown.setdefault(key, render_error(error, lang))
    return shown


@require_http_methods(["GET", "POST"])
def preregister(request: HttpRequest, slug: str) -> HttpResponse:
    lang = language(request)
    now = timezone.now()
    client = ratelimit.client_limit()
    if not ratelimit.hit(ratelimit.client_bucket(client_address(request)), client, now):
        return _too_many(request, lang, ratelimit.retry_after(client, now))
    pharmacy_id = pharmacy_for_slug(slug)
    if pharmacy_id is None:
        raise Http404
    context: dict[str, Any] = {"t": TEXTS[lang], "lang": lang, "reasons": sorted(NO_NIR_REASONS)}
    if request.method == "POST":
        limit = ratelimit.pharmacy_limit()
        if not ratelimit.hit(ratelimit.pharmacy_bucket(pharmacy_id), limit, now):
            return _too_many(request, lang, ratelimit.retry_after(limit, now))
        return _submit(request, slug, context)
    return render(request, "screening/preregister.html", context)


def _submit(request: HttpRequest, slug: str, context: dict[str, Any]) -> HttpResponse:
    try:
        issued = create_preregistration(ANONYMOUS, slug, _patient_body(request.POST))
    except PreRegistrationClosedError:
        raise Http404 from None
    except ValidationErrors as errors:
        context.update(errors=_errors_by_field(errors, context["lang"]), values=request.POST)
        page = render(request, "screening/preregister.html", context, status=422)
        return _no_store(page)
    context.update(code=display_code(issued.code), qr=_qr_svg(issued.code))
    return _no_store(render(request, "screening/preregister_done.html", context))


def _staff_pharmacy(request: HttpRequest, actor: Actor) -> int:
    allowed = pharmacies_for(actor, Action.PREREGISTRATION_PICKUP)
    asked = request.POST.get("pharmacy") or request.GET.get("pharmacy") or ""
    if asked.isdigit() and int(asked) in allowed:
        return int(asked)
    if not allowed:
        raise Http404
    return allowed[0]


@require_http_methods(["GET"])
def poster(request: HttpRequest) -> HttpResponse:
    """The printable page for the pharmacy's window: its public link and QR code."""
    actor = request_actor(request)
    slug = preregistration_link(actor, _staff_pharmacy(request, actor))
    url = request.build_absolute_uri(reverse("screening:prereg_public", args=[slug]))
    context = {"t": TEXTS["fr"], "t_en": TEXTS["en"], "url": url, "qr": _qr_svg(url)}
    return render(request, "screening/poster.html", context)


@require_http_methods(["GET", "POST"])
def pickup(request: HttpRequest) -> HttpResponse:
    """Staff type or scan the code (POST), check the identity, add the test, record."""
    actor = request_actor(request)
    pharmacy_id = _staff_pharmacy(request, actor)
    context: dict[str, Any] = {"t": TEXTS["fr"], "pharmacy_id": pharmacy_id}
    if request.method == "GET":
        return render(request, "screening/pickup.html", context)
    code = request.POST.get("code", "")
    try:
        if request.POST.get("step") == "record":
            outcome = record_from_preregistration(actor, pharmacy_id, code, _test_body(request))
            context.update(done=True, created=outcome.created)
        else:
            picked = pickup_preregistration(actor, pharmacy_id, code)
            context.update(patient=picked.patient, code=code, devices=active_devices())
    except PreRegistrationNotFoundError:
        context.update(not_found=True)
        return _no_store(render(request, "screening/pickup.html", context, status=404))
    except ValidationErrors as errors:
        context.update(errors=[render_error(e) for e in errors.errors], code=code)
        return _no_store(render(request, "screening/pickup.html", context, status=422))
    return _no_store(render(request, "screening/pickup.html", context))


def _test_body(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "test_kind": post.get("test_kind") or None,
        "device_id": post.get("device_id") or None,
        "sampled_at": _local_time(post.get("sampled_at", "")),
        "result": post.get("result") or None,
        "symptoms": post.get("symptoms") == "on",
        "symptoms_onset": post.get("symptoms_onset") or None,
        "consent": post.get("consent") == "on",
    }


def _local_time(raw: str) -> str | None:
    """A counter's `datetime-local` value, read as Paris time, in ISO 8601 with its offset."""
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw or None
    moment = naive if naive.tzinfo else naive.replace(tzinfo=PARIS)
    return moment.isoformat()
