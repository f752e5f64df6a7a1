"""Sensitive actions need a recent passkey, or the password and a second factor."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.accounts.testing import mark_mfa_verified
from tests.accounts.conftest import Enrolled, totp_code

pytestmark = pytest.mark.django_db

SENSITIVE = "/account/2fa/recovery-codes/"


def _signed_in_long_ago(enrolled: Enrolled) -> Client:
    client = Client()
    client.force_login(enrolled.user)
    mark_mfa_verified(client, enrolled.user)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600
    session.save()
    return client


def test_a_sensitive_page_first_asks_for_the_password(enrolled: Enrolled) -> None:
    client = _signed_in_long_ago(enrolled)
    response = client.get(SENSITIVE)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")


def test_after_the_password_it_asks_for_the_second_factor_then_lets_through(
    enrolled: Enrolled,
) -> None:
    client = _signed_in_long_ago(enrolled)
    response = client.post(
        "/account/reauthenticate/?next=" + SENSITIVE, {"password": enrolled.password}
    )
    assert response.status_code == 302
    second = client.get(SENSITIVE)
    assert second["Location"].startswith("/account/2fa/reauthenticate/")
    client.post("/account/2fa/reauthenticate/", {"code": totp_code(enrolled.secret)})
    assert client.get(SENSITIVE).status_code == 200


def test_a_wrong_password_at_re_authentication_does_not_let_through(enrolled: Enrolled) -> None:
    client = _signed_in_long_ago(enrolled)
    client.post("/account/reauthenticate/", {"password": "not my password, sorry"})
    assert client.get(SENSITIVE).status_code == 302
