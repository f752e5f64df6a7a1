"""The dashboard: four server-drawn charts and the same figures as a table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.access.policy import Action
from relais.pharmacies.actors import request_actor
from relais.pharmacies.current import current_pharmacy
from relais.relay.services.figures import dashboard_figures
from relais.web.charts import bar_chart


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    pharmacy_id = current_pharmacy(request, Action.DASHBOARD_VIEW)
    days = dashboard_figures(request_actor(request), pharmacy_id)
    label = [d.day.strftime("%d/%m") for d in days]
    series = [
        ("c-tests", _("Tests par jour"), [float(d.tests) for d in days], ""),
        ("c-pos", _("Taux de positivité (%)"), [d.positivity for d in days], " %"),
        (
            "c-delay",
            _("Délai médian d'accusé de réception SI-DEP (s)"),
            [d.median_delay_s for d in days],
            " s",
        ),
        ("c-fail", _("Rejets et échecs de transmission"), [float(d.failures) for d in days], ""),
    ]
    charts = [
        (title, bar_chart(key, title, list(zip(label, values, strict=True)), unit=unit,
                          alternate=key == "c-fail"))
        for key, title, values, unit in series
    ]  # fmt: skip
    total = sum(d.tests for d in days)
    positives = sum(d.positives for d in days)
    context = {
        "days": days,
        "charts": charts,
        "total": total,
        "positivity": 100.0 * positives / total if total else 0.0,
        "failures": sum(d.failures for d in days),
    }
    return render(request, "web/dashboard.html", context)
