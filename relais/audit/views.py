"""DPO / auditor screens (platform-wide) and the owner's screens (their own pharmacies).

Thin: parse, call one service in ``relais.audit.services``, render. The patient is looked
up from a POSTed NIR or e-mail, never from the URL; exports need a fresh re-authentication
and are streamed from memory, never written to disk.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from relais.access.errors import AccessDeniedError
from relais.audit import services
from relais.pharmacies.actors import request_actor

View = Callable[..., HttpResponseBase]
DEFAULT_DAYS = 7


def _period(request: HttpRequest) -> tuple[dt.datetime, dt.datetime]:
    """``from``/``to`` dates (inclusive) from the query; the last week by default."""
    today = timezone.localdate()
    start_day = parse_date(request.GET.get("from", "") or "") or today - dt.timedelta(DEFAULT_DAYS)
    end_day = parse_date(request.GET.get("to", "") or "") or today
    start = timezone.make_aware(dt.datetime.combine(start_day, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time()))
    return start, end


def _refused_as_403(view: View) -> View:
    """A refusal from the service (already audited) is a plain 403 page."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except AccessDeniedError:
            return HttpResponseForbidden()

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _context(request: HttpRequest, platform: bool, **extra: Any) -> dict[str, Any]:
    start, end = _period(request)
    prefix = "audit" if platform else "pharmacy_audit"
    return {
        "platform": platform,
        "prefix": prefix,
        "from": start.date().isoformat(),
        "to": (end - dt.timedelta(days=1)).date().isoformat(),
        **extra,
    }


def home(request: HttpRequest, *, platform: bool) -> HttpResponse:
    start, end = _period(request)
    events = services.refusals_and_alerts(
        request_actor(request), platform=platform, start=start, end=end
    )
    return render(request, "audit/home.html", _context(request, platform, events=events))


def patient(request: HttpRequest, *, platform: bool) -> HttpResponse:
    context = _context(request, platform, searched=False)
    if request.method == "POST":
        from relais.core.fielderrors import ValidationErrors

        nir, email = request.POST.get("nir", "").strip(), request.POST.get("email", "").strip()
        if nir or email:
            try:
                found = services.patient_accesses(
                    request_actor(request), platform=platform, nir=nir, email=email
                )
            except ValidationErrors:
                context["invalid"] = True
            else:
                context.update(searched=True, found=found.patients_found, events=found.events)
    return render(request, "audit/patient.html", context)


def account(request: HttpRequest, *, platform: bool) -> HttpResponse:
    label = request.GET.get("account", "").strip()[:80]
    start, end = _period(request)
    events = []
    if label:
        events = services.account_activity(
            request_actor(request), platform=platform, account=label, start=start, end=end
        )
    context = _context(request, platform, account=label, events=events)
    return render(request, "audit/account.html", context)


def breach(request: HttpRequest, *, platform: bool) -> HttpResponse:
    start, end = _period(request)
    label = request.GET.get("account", "").strip()[:80]
    impacts = services.breach_report(
        request_actor(request), platform=platform, start=start, end=end, account=label
    )
    context = _context(request, platform, account=label, impacts=list(impacts.values()))
    return render(request, "audit/breach.html", context)


class _Echo:
    """csv.writer target that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines: Iterator[str] = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export(request: HttpRequest, *, platform: bool) -> HttpResponseBase:
    from relais.accounts.reauth import require_recent_reauthentication

    redirect = require_recent_reauthentication(request)
    if redirect is not None:
        return redirect
    start, end = _period(request)
    rows = services.access_report(request_actor(request), platform=platform, start=start, end=end)
    return _csv(rows, f"relais-access-report-{start.date()}-{end.date()}.csv")


def breach_persons(request: HttpRequest) -> HttpResponseBase:
    """The controller's list of affected persons (owner only, re-authenticated)."""
    from relais.accounts.reauth import require_recent_reauthentication

    redirect = require_recent_reauthentication(request)
    if redirect is not None:
        return redirect
    try:
        pharmacy_id = int(request.GET.get("pharmacy", ""))
    except ValueError:
        return HttpResponse("pharmacy?", status=400, content_type="text/plain")
    start, end = _period(request)
    label = request.GET.get("account", "").strip()[:80]
    rows = services.breach_persons(
        request_actor(request), pharmacy_id=pharmacy_id, start=start, end=end, account=label
    )
    return _csv(rows, f"relais-breach-persons-{pharmacy_id}.csv")


def scoped(view: View, *, platform: bool, post: bool = False) -> View:
    """The same screen for the auditor (``platform``) and for owners."""

    def bound(request: HttpRequest) -> HttpResponseBase:
        return view(request, platform=platform)

    bound.__name__ = f"{view.__name__}_{'platform' if platform else 'pharmacy'}"
    methods = ["GET", "POST"] if post else ["GET"]
    return require_http_methods(methods)(_refused_as_403(bound))


breach_persons_view = require_http_methods(["GET"])(_refused_as_403(breach_persons))
