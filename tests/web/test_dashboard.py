"""The dashboard: a pharmacy's own figures per day, aggregates only, the read audited."""

from __future__ import annotations

import pytest

from relais.audit.models import AuditEvent
from relais.relay.models import Transmission
from relais.relay.services.figures import dashboard_figures
from relais.screening.models import Screening
from tests.conftest import Personas
from tests.web.conftest import counter_form, nir_with_key

pytestmark = pytest.mark.usefixtures("devices")


def _record_three(personas: Personas) -> None:
    counter_a = personas["technician_a"].client()
    counter_a.post("/counter/", counter_form())
    counter_a.post(
        "/counter/",
        counter_form(
            last_name="Martin",
            birth_date="1985-01-17",
            nir=nir_with_key("2850175123457"),
            result="positive",
        ),
    )
    personas["technician_b"].client().post("/counter/", counter_form(last_name="Autre"))


def test_today_counts_this_pharmacy_s_tests_positives_and_rejections_only(
    personas: Personas,
) -> None:
    _record_three(personas)
    assert Screening.objects.filter(pharmacy=personas.pharmacy_a).count() == 2
    first = Screening.objects.filter(pharmacy=personas.pharmacy_a).order_by("created_at")[0]
    Transmission.objects.filter(screening_id=first.pk).update(status="rejected")
    days = dashboard_figures(personas["pharmacist_a"].actor, personas.pharmacy_a.pk)
    assert len(days) == 14
    today = days[-1]
    assert (today.tests, today.positives, today.failures) == (2, 1, 1)
    assert today.positivity == 50.0
    assert sum(d.tests for d in days[:-1]) == 0
    event = AuditEvent.objects.filter(action="screening.listed").latest("id")
    assert event.pharmacy_id == personas.pharmacy_a.pk
    assert event.details["view"] == "dashboard" and event.details["count"] == 2


def test_the_dashboard_page_shows_the_totals_and_hides_the_other_pharmacy(
    personas: Personas,
) -> None:
    _record_three(personas)
    page = personas["technician_b"].client().get("/dashboard/")
    assert page.status_code == 200
    assert page.context["total"] == 1
    assert page.context["positivity"] == 0.0
    assert page.content.count(b"<svg") == 4
