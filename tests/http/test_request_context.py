"""Every request gets an id, echoed in `X-Request-Id` and carried to the audit log."""

from __future__ import annotations

from django.test import Client

from relais.audit.models import AuditEvent
from tests.conftest import Personas


def test_a_request_gets_a_fresh_id_unless_it_brings_a_safe_one(db: None) -> None:
    fresh = Client().get("/healthz")["X-Request-Id"]
    assert len(fresh) == 32 and fresh != Client().get("/healthz")["X-Request-Id"]
    kept = Client().get("/healthz", headers={"X-Request-Id": "lgo-0123456789"})
    assert kept["X-Request-Id"] == "lgo-0123456789"
    unsafe = Client().get("/healthz", headers={"X-Request-Id": "<script>alert(1)</script>"})
    assert unsafe["X-Request-Id"] != "<script>alert(1)</script>"


def test_a_refusal_is_recorded_with_the_requests_id_and_address(personas: Personas) -> None:
    response = (
        personas["technician_a"]
        .client()
        .get("/billing/", headers={"X-Request-Id": "lgo-refused-0001"}, REMOTE_ADDR="192.0.2.7")
    )
    assert response.status_code == 403
    refusal = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert (refusal.request_id, refusal.client_ip) == ("lgo-refused-0001", "192.0.2.7")
