"""The DPO / auditor screens and the owner's screens: scope, audit of the reading, exports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.testing import mark_mfa_verified, signed_in_client
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _refusal_in(pharmacy_id: int) -> None:
    record_event(AuditAction.ACCESS_DENIED, pharmacy_id=pharmacy_id, outcome="denied")


def test_the_auditor_sees_refusals_of_every_pharmacy_and_the_viewing_is_audited(
    personas: Personas,
) -> None:
    _refusal_in(personas.pharmacy_a.pk)
    _refusal_in(personas.pharmacy_b.pk)
    response = signed_in_client(personas["auditor"].user).get(reverse("audit_home"))
    assert response.status_code == 200
    assert len(response.context["events"]) == 2
    viewed = AuditEvent.objects.get(action=str(AuditAction.AUDIT_VIEWED))
    assert viewed.actor_id == str(personas["auditor"].user.pk)


def test_an_owner_sees_only_their_own_pharmacy(personas: Personas) -> None:
    _refusal_in(personas.pharmacy_a.pk)
    _refusal_in(personas.pharmacy_b.pk)
    response = signed_in_client(personas["owner_a"].user).get(reverse("pharmacy_audit_home"))
    assert [e.pharmacy_id for e in response.context["events"]] == [personas.pharmacy_a.pk]


@pytest.mark.parametrize("persona", ["pharmacist_a", "technician_a", "operator", "owner_b"])
def test_others_cannot_read_the_audit_screens_of_pharmacy_a(
    personas: Personas, persona: str
) -> None:
    client = signed_in_client(personas[persona].user)
    assert client.get(reverse("audit_home")).status_code == 403
    if persona != "owner_b":
        assert client.get(reverse("pharmacy_audit_home")).status_code == 403


def test_the_patient_lookup_is_a_post_and_is_itself_audited(personas: Personas) -> None:
    client = signed_in_client(personas["auditor"].user)
    response = client.post(reverse("audit_patient"), {"nir": "1 85 05 78 006 084 36"})
    assert response.status_code == 200
    assert response.context["found"] == 0
    lookup = AuditEvent.objects.get(action=str(AuditAction.AUDIT_PATIENT_LOOKUP))
    assert lookup.details["by_nir"] is True
    assert "1850578006084" not in str(lookup.details)


def test_account_activity_lists_what_an_account_did(personas: Personas) -> None:
    owner = personas["owner_a"]
    record_event(AuditAction.SIGNED_OUT, actor=owner.actor, pharmacy_id=personas.pharmacy_a.pk)
    client = signed_in_client(personas["auditor"].user)
    response = client.get(reverse("audit_account"), {"account": f"user:{owner.user.pk}"})
    assert [e.action for e in response.context["events"]] == ["auth.signed_out"]


def test_the_access_export_needs_a_recent_reauthentication(personas: Personas) -> None:
    client = signed_in_client(personas["auditor"].user)
    response = client.get(reverse("audit_export"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not AuditEvent.objects.filter(action=str(AuditAction.AUDIT_EXPORTED)).exists()


def test_the_access_export_is_streamed_csv_after_reauthentication(personas: Personas) -> None:
    _refusal_in(personas.pharmacy_a.pk)
    client = signed_in_client(personas["auditor"].user)
    mark_mfa_verified(client, personas["auditor"].user, password=True)
    response = client.get(reverse("audit_export"))
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    assert body.splitlines()[0].startswith("time,actor,action,pharmacy")
    assert "access.denied" in body
    assert AuditEvent.objects.filter(action=str(AuditAction.AUDIT_EXPORTED)).exists()


def test_an_owner_cannot_export_another_pharmacys_persons(personas: Personas) -> None:
    client = signed_in_client(personas["owner_a"].user)
    mark_mfa_verified(client, personas["owner_a"].user, password=True)
    url = reverse("pharmacy_audit_breach_persons")
    response = client.get(url, {"pharmacy": personas.pharmacy_b.pk})
    assert response.status_code == 403
    assert client.get(url, {"pharmacy": personas.pharmacy_a.pk}).status_code == 200


def test_the_breach_screen_shows_counts_per_pharmacy(personas: Personas) -> None:
    record_event(
        AuditAction.PATIENT_FOUND,
        actor=personas["pharmacist_a"].actor,
        pharmacy_id=personas.pharmacy_a.pk,
        object_type="patient",
        object_ids=["x", "y"],
    )
    response = signed_in_client(personas["auditor"].user).get(reverse("audit_breach"))
    (impact,) = response.context["impacts"]
    assert impact.person_count == 2


AUDIT_ROUTES = [
    "audit_home",
    "audit_patient",
    "audit_account",
    "audit_breach",
    "audit_export",
    "pharmacy_audit_home",
    "pharmacy_audit_patient",
    "pharmacy_audit_account",
    "pharmacy_audit_breach",
    "pharmacy_audit_export",
    "pharmacy_audit_breach_persons",
]


@pytest.mark.parametrize("route", AUDIT_ROUTES)
def test_every_audit_route_answers_each_persona_as_the_route_table_says(
    personas: Personas, route: str
) -> None:
    from relais.access.policy import can_anywhere
    from relais.access.routes import ROUTES, Requires

    rule = ROUTES[route]
    assert isinstance(rule, Requires)
    for persona in personas.all():
        if persona.user is None:
            response = persona.client().get(reverse(route))
            assert response.status_code == 302 and "login" in response["Location"]
            continue
        response = signed_in_client(persona.user).get(reverse(route))
        allowed = can_anywhere(persona.actor, rule.action)
        assert (response.status_code != 403) == allowed, (route, persona.name)
