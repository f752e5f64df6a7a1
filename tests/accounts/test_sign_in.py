"""Sign-in: password then mandatory second factor; one answer for every failure."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from relais.accounts.models import User
from relais.audit.models import AuditEvent
from tests.accounts.conftest import Enrolled, password_step, sign_in_with_totp, totp_code
from tests.conftest import PERSONA_PASSWORD, Personas

pytestmark = pytest.mark.django_db


def test_a_password_and_a_totp_code_sign_in_and_reach_home(enrolled: Enrolled) -> None:
    client = Client()
    response = sign_in_with_totp(client, enrolled)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.second_factor_succeeded" in actions
    assert "auth.sign_in_succeeded" in actions


def test_the_password_alone_does_not_sign_in(enrolled: Enrolled) -> None:
    client = Client()
    password_step(client, enrolled.user.email, enrolled.password)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_account_without_a_factor_reaches_only_enrolment(personas: Personas) -> None:
    client = Client()
    user = personas["technician_b"].user
    assert user is not None
    response = password_step(client, user.email, PERSONA_PASSWORD)
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/account/2fa/"
    assert client.get("/account/2fa/").status_code == 200


def _refusal(client: Client, email_address: str, password: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    response = password_step(client, email_address, password)
    elapsed = time.perf_counter() - started
    body = response.content.replace(email_address.encode(), b"EMAIL")
    return response.status_code, body.split(b'name="csrfmiddlewaretoken"')[0], elapsed


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer_in_comparable_time(
    personas: Personas,
) -> None:
    known = personas["owner_a"].user
    assert known is not None
    wrong = _refusal(Client(), known.email, "not the right password at all")
    unknown = _refusal(Client(), "nobody@example.test", "not the right password at all")
    assert wrong[0] == unknown[0] == 200
    assert wrong[1] == unknown[1]
    assert b"Adresse e-mail ou mot de passe incorrect" in wrong[1]
    # Both run one Argon2id hash: neither is more than 3x the other.
    assert max(wrong[2], unknown[2]) < 3 * min(wrong[2], unknown[2]) + 0.05


def test_a_deactivated_account_with_the_right_password_gets_the_same_answer(
    personas: Personas,
) -> None:
    user = personas["technician_a"].user
    assert user is not None
    User.objects.filter(pk=user.pk).update(is_active=False)
    inactive = _refusal(Client(), user.email, PERSONA_PASSWORD)
    unknown = _refusal(Client(), "nobody@example.test", PERSONA_PASSWORD)
    assert inactive[0] == unknown[0] == 200
    assert inactive[1] == unknown[1]


def test_a_replayed_totp_code_is_refused(enrolled: Enrolled) -> None:
    first = Client()
    assert sign_in_with_totp(first, enrolled).status_code == 302
    second = Client()
    response = sign_in_with_totp(second, enrolled)
    assert response.status_code == 200
    assert b"Code incorrect" in response.content
    assert second.get("/").status_code == 302


@pytest.mark.parametrize("code", ["", "12", "abcdef", "1" * 40, "12345\x00", "' OR 1=1 --"])
def test_a_malformed_code_is_refused_cleanly(enrolled: Enrolled, code: str) -> None:
    client = Client()
    password_step(client, enrolled.user.email, enrolled.password)
    response = client.post("/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(enrolled: Enrolled) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    authenticator = Authenticator.objects.get(user=enrolled.user, type="recovery_codes")
    code = RecoveryCodes(authenticator).get_unused_codes()[0]
    client = Client()
    password_step(client, enrolled.user.email, enrolled.password)
    assert client.post("/account/2fa/authenticate/", {"code": code}).status_code == 302
    again = Client()
    password_step(again, enrolled.user.email, enrolled.password)
    assert again.post("/account/2fa/authenticate/", {"code": code}).status_code == 200


def test_the_totp_secret_is_sealed_by_the_vault_not_stored_in_clear(enrolled: Enrolled) -> None:
    stored = Authenticator.objects.get(user=enrolled.user, type="totp").data["secret"]
    assert enrolled.secret not in stored
    assert stored.startswith(f"vault1:{enrolled.user.pk}:")


def test_a_secret_moved_to_another_account_does_not_open(enrolled: Enrolled) -> None:
    from relais.accounts.sealing import open_secret
    from relais.vault.errors import DecryptionError

    stored = Authenticator.objects.get(user=enrolled.user, type="totp").data["secret"]
    forged = stored.replace(f"vault1:{enrolled.user.pk}:", f"vault1:{enrolled.user.pk + 1}:")
    with pytest.raises(DecryptionError):
        open_secret(forged)


def test_a_code_from_a_neighbouring_time_step_is_accepted_for_clock_drift(
    enrolled: Enrolled,
) -> None:
    client = Client()
    password_step(client, enrolled.user.email, enrolled.password)
    code = totp_code(enrolled.secret, -1)
    assert client.post("/account/2fa/authenticate/", {"code": code}).status_code == 302
