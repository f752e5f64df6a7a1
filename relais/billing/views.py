"""Billing screens. Thin: parse, call one service, render.

Owners (``billing.read``) see their pharmacy's issued statements; the operator
(``billing.manage``) sees every pharmacy's volumes and revenue and runs the statement
lifecycle. A statement the actor may not see answers 404, exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relais.billing import services
from relais.billing.errors import BillingError, StatementNotFoundError
from relais.billing.periods import Month, MonthError, current_month
from relais.pharmacies.actors import request_actor

View = Callable[..., HttpResponseBase]


def _not_found_as_404(view: View) -> View:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except StatementNotFoundError as error:
            raise Http404 from error

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _month(request: HttpRequest, source: QueryDict | None = None) -> Month:
    text = (source if source is not None else request.GET).get("month", "")
    try:
        return Month.parse(text)
    except MonthError:
        return current_month(timezone.now()).previous()


def _download(statement_file: services.reads.StatementFile) -> HttpResponse:
    response = HttpResponse(statement_file.content, content_type=statement_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{statement_file.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def statements(request: HttpRequest) -> HttpResponse:
    rows = services.list_statements(request_actor(request))
    return render(request, "billing/statements.html", {"statements": rows})


@require_GET
@_not_found_as_404
def statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    row, document, notes = services.get_statement(request_actor(request), statement_id)
    context = {"statement": row, "document": document, "credit_notes": notes, "operator": False}
    return render(request, "billing/statement.html", context)


@require_GET
@_not_found_as_404
def download(request: HttpRequest, statement_id: int, file_format: str) -> HttpResponse:
    return _file_response(request, statement_id, file_format)


def _file_response(request: HttpRequest, statement_id: int, file_format: str) -> HttpResponse:
    if file_format not in services.reads.FORMATS:
        raise Http404
    return _download(services.statement_file(request_actor(request), statement_id, file_format))


@require_GET
def operator(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    volumes = services.month_overview(request_actor(request), month)
    context = {
        "month": month,
        "previous": month.previous(),
        "next": month.next(),
        "volumes": volumes,
        "total_units": sum(v.units for v in volumes),
        "total_revenue_cents": sum(v.revenue_excl_vat_cents for v in volumes),
    }
    return render(request, "billing/operator.html", context)


@require_GET
@_not_found_as_404
def operator_statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    row, document, notes = services.get_statement(request_actor(request), statement_id)
    context = {"statement": row, "document": document, "credit_notes": notes, "operator": True}
    return render(request, "billing/statement.html", context)


@require_POST
def operator_prepare(request: HttpRequest) -> HttpResponse:
    month = _month(request, request.POST)
    try:
        pharmacy_id = int(request.POST.get("pharmacy", ""))
    except ValueError as error:
        raise Http404 from error
    try:
        row = services.prepare_statement(request_actor(request), pharmacy_id, month)
    except BillingError as error:
        messages.error(request, str(error))
        return redirect(f"{_operator_url()}?month={month}")
    return redirect("billing:operator_statement", statement_id=row.pk)


def _operator_url() -> str:
    from django.urls import reverse

    return reverse("billing:operator")


def _lifecycle(action: Callable[[HttpRequest, int], str]) -> View:
    """A POST on one statement: run the step, say what happened, back to the statement."""

    @require_POST
    @_not_found_as_404
    def view(request: HttpRequest, statement_id: int) -> HttpResponse:
        try:
            messages.success(request, action(request, statement_id))
        except BillingError as error:
            messages.error(request, str(error))
        return redirect("billing:operator_statement", statement_id=statement_id)

    view.__name__ = action.__name__
    return view


@_lifecycle
def operator_issue(request: HttpRequest, statement_id: int) -> str:
    row = services.issue_statement(request_actor(request), statement_id)
    return _("Relevé %(number)s émis.") % {"number": row.number}


@_lifecycle
def operator_paid(request: HttpRequest, statement_id: int) -> str:
    row = services.mark_statement_paid(request_actor(request), statement_id)
    return _("Relevé %(number)s marqué payé.") % {"number": row.number}


@_lifecycle
def operator_credit(request: HttpRequest, statement_id: int) -> str:
    units = _units_by_day(request.POST.get("day", ""), request.POST.get("units", ""))
    note = services.issue_credit_note(
        request_actor(request), statement_id, request.POST.get("reason", ""), units
    )
    return _("Avoir %(number)s émis.") % {"number": note.number}


def _units_by_day(day: str, units: str) -> dict[dt.date, int] | None:
    """No day: credit the whole statement; else that many units on that day."""
    if not day:
        return None
    try:
        return {dt.date.fromisoformat(day): int(units)}
    except ValueError as error:
        raise BillingError(_("Jour (AAAA-MM-JJ) et nombre de transmissions attendus.")) from error


@require_GET
@_not_found_as_404
def operator_download(request: HttpRequest, statement_id: int, file_format: str) -> HttpResponse:
    return _file_response(request, statement_id, file_format)
