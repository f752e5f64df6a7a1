"""Invitations, deactivation and access resets — through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from relais.access.errors import AccessDeniedError
from relais.access.roles import PharmacyRole
from relais.accounts.models import Invitation, User
from relais.audit.models import AuditEvent
from relais.pharmacies import services
from relais.pharmacies.models import Membership
from tests.accounts.conftest import Enrolled, Mailbox, sign_in_with_totp
from tests.conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "http://testserver"
NEW_PASSWORD = "une phrase de passe assez longue 7"


def _invite(personas: Personas, email_address: str = "new.tech@example.test") -> str:
    issued = services.invite_staff(
        personas["owner_a"].actor,
        personas.pharmacy_a,
        email=email_address,
        full_name="New Tech",
        role=PharmacyRole.TECHNICIAN,
        base_url=BASE,
    )
    return issued.path


def _accept(client: Client, path: str, password: str = NEW_PASSWORD) -> object:
    client.get(path)
    return client.post("/invitation/", {"password1": password, "password2": password})


def test_an_owner_invites_a_technician_by_an_email_holding_a_single_use_link(
    personas: Personas, smtp: Mailbox
) -> None:
    path = _invite(personas)
    [message] = smtp.wait_for(1)
    body = Mailbox.body(message)
    assert message["To"] == "new.tech@example.test"
    assert BASE + path in body
    token = path.split("/")[2]
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(re.sub(r"[^A-Za-z0-9_-]", "", token)) >= 43


def test_accepting_sets_the_password_and_leads_to_factor_enrolment(
    personas: Personas, smtp: Mailbox
) -> None:
    client = Client()
    response = _accept(client, _invite(personas))
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/"
    user = User.objects.get(email="new.tech@example.test")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).is_active
    assert client.get("/").headers["Location"] == "/account/2fa/"


def test_a_used_invitation_link_is_refused(personas: Personas, smtp: Mailbox) -> None:
    path = _invite(personas)
    _accept(Client(), path)
    again = Client()
    assert again.get(path).status_code == 410
    assert again.post("/invitation/", {"password1": "x", "password2": "x"}).status_code == 410


def test_an_expired_invitation_link_is_refused(personas: Personas, smtp: Mailbox) -> None:
    path = _invite(personas)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(path).status_code == 410


def test_a_made_up_invitation_link_is_refused_and_counted(personas: Personas) -> None:
    from relais.accounts.models import LoginThrottle

    response = Client().get("/invitation/" + "A" * 43 + "/")
    assert response.status_code == 410
    assert LoginThrottle.objects.filter(scope="ip", failures=1).exists()


def test_a_common_password_is_refused_at_acceptance(personas: Personas, smtp: Mailbox) -> None:
    client = Client()
    response = _accept(client, _invite(personas), password="azertyuiop123")
    assert response.status_code == 200
    assert not User.objects.get(email="new.tech@example.test").has_usable_password()


def test_a_technician_cannot_invite_anyone(personas: Personas) -> None:
    with pytest.raises(AccessDeniedError):
        services.invite_staff(
            personas["technician_a"].actor,
            personas.pharmacy_a,
            email="x@example.test",
            full_name="X",
            role=PharmacyRole.TECHNICIAN,
            base_url=BASE,
        )


def test_an_owner_cannot_invite_into_another_pharmacy(personas: Personas) -> None:
    with pytest.raises(AccessDeniedError):
        services.invite_staff(
            personas["owner_a"].actor,
            personas.pharmacy_b,
            email="x@example.test",
            full_name="X",
            role=PharmacyRole.PHARMACIST,
            base_url=BASE,
        )


def test_only_the_operator_invites_an_owner(personas: Personas, smtp: Mailbox) -> None:
    with pytest.raises(AccessDeniedError):
        services.invite_owner(
            personas["owner_a"].actor,
            personas.pharmacy_a,
            email="o@example.test",
            full_name="O",
            base_url=BASE,
        )
    issued = services.invite_owner(
        personas["operator"].actor,
        personas.pharmacy_a,
        email="o@example.test",
        full_name="O",
        base_url=BASE,
    )
    assert issued.invitation.role == PharmacyRole.OWNER


def test_deactivation_ends_every_session_at_once(personas: Personas, enrolled: Enrolled) -> None:
    client = Client()
    sign_in_with_totp(client, enrolled)
    assert client.get("/").status_code == 200
    membership = Membership.objects.get(user=enrolled.user)
    services.deactivate_member(personas["owner_a"].actor, membership)
    assert client.get("/").status_code == 302
    assert not Session.objects.filter(session_key=client.session.session_key).exists() or (
        client.get("/").status_code == 302
    )
    assert AuditEvent.objects.filter(action="admin.staff_deactivated").exists()


def test_an_owner_cannot_deactivate_the_other_pharmacys_staff(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas["pharmacist_b"].user)
    with pytest.raises(AccessDeniedError):
        services.deactivate_member(personas["owner_a"].actor, membership)
    assert Membership.objects.get(pk=membership.pk).is_active


def test_a_reset_clears_the_factors_and_the_password_and_mails_a_new_link(
    personas: Personas, enrolled: Enrolled, smtp: Mailbox
) -> None:
    membership = Membership.objects.get(user=enrolled.user)
    issued = services.reset_member_access(personas["owner_a"].actor, membership, base_url=BASE)
    user = User.objects.get(pk=enrolled.user.pk)
    assert not Authenticator.objects.filter(user=user).exists()
    assert not user.has_usable_password()
    messages = smtp.wait_for(2)
    bodies = " ".join(Mailbox.body(m) for m in messages)
    assert issued.path in bodies
    assert enrolled.secret not in bodies


def test_notices_never_carry_a_secret(personas: Personas, smtp: Mailbox) -> None:
    client = Client()
    _accept(client, _invite(personas))
    smtp.wait_for(1)
    for message in smtp.messages[1:]:
        assert NEW_PASSWORD not in Mailbox.body(message)
