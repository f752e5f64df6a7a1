"""Brute force: failures per account and per address lead to growing delays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from relais.accounts import throttle
from relais.accounts.models import LoginThrottle
from relais.audit.models import AuditEvent
from tests.accounts.conftest import Enrolled, password_step, totp_code
from tests.conftest import PERSONA_PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200 or "/login/" not in client.get("/")["Location"]


def test_after_five_wrong_passwords_even_the_right_one_is_refused(personas: Personas) -> None:
    user = personas["owner_b"].user
    assert user is not None
    for _ in range(5):
        password_step(Client(), user.email, "wrong password, try again")
    client = Client()
    response = password_step(client, user.email, PERSONA_PASSWORD)
    assert response.status_code == 200
    assert b"Adresse e-mail ou mot de passe incorrect" in response.content
    assert AuditEvent.objects.filter(action="auth.account_locked").exists()


def test_the_block_lifts_once_the_delay_has_passed(personas: Personas) -> None:
    user = personas["owner_b"].user
    assert user is not None
    for _ in range(5):
        password_step(Client(), user.email, "wrong password, try again")
    LoginThrottle.objects.update(blocked_until=timezone.now() - dt.timedelta(seconds=1))
    response = password_step(Client(), user.email, PERSONA_PASSWORD)
    assert response.status_code == 302


def test_an_unknown_address_is_throttled_like_a_known_one(personas: Personas) -> None:
    for _ in range(5):
        password_step(Client(), "ghost@example.test", "wrong password, try again")
    key = throttle.account_key("ghost@example.test")
    row = LoginThrottle.objects.get(scope="account", key=key.key)
    assert row.blocked_until is not None
    assert "ghost" not in row.key


def test_wrong_second_factor_codes_block_the_account_for_a_while(enrolled: Enrolled) -> None:
    client = Client()
    password_step(client, enrolled.user.email, enrolled.password)
    for _ in range(5):
        client.post("/account/2fa/authenticate/", {"code": "000000"})
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(enrolled.secret)})
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    failures = AuditEvent.objects.filter(action="auth.second_factor_failed").count()
    assert failures >= 5


def test_one_address_failing_on_many_accounts_is_blocked(personas: Personas) -> None:
    for index in range(20):
        password_step(Client(), f"user{index}@example.test", "wrong password, try again")
    user = personas["owner_a"].user
    assert user is not None
    assert password_step(Client(), user.email, PERSONA_PASSWORD).status_code == 200


@given(st.integers(min_value=0, max_value=200))
def test_delays_never_shrink_and_never_exceed_the_ceiling(failures: int) -> None:
    policy = throttle.ACCOUNT
    now = throttle.delay_after(policy, failures) or dt.timedelta(0)
    later = throttle.delay_after(policy, failures + 1) or dt.timedelta(0)
    assert now <= later <= policy.max_delay
