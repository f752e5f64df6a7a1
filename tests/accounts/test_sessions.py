"""Sessions: idle and absolute timeouts, new ids, forged cookies."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from relais.accounts.sessions import LAST_SEEN_KEY, STARTED_KEY
from tests.accounts.conftest import Enrolled, sign_in_with_totp

pytestmark = pytest.mark.django_db


def _age(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = float(session[key]) - seconds
    session.save()


def test_fifteen_minutes_without_a_request_end_the_session(enrolled: Enrolled) -> None:
    client = Client()
    sign_in_with_totp(client, enrolled)
    _age(client, LAST_SEEN_KEY, 15 * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive_within_the_idle_limit(enrolled: Enrolled) -> None:
    client = Client()
    sign_in_with_totp(client, enrolled)
    _age(client, LAST_SEEN_KEY, 14 * 60)
    assert client.get("/").status_code == 200


def test_twelve_hours_after_sign_in_the_session_ends_however_active(enrolled: Enrolled) -> None:
    client = Client()
    sign_in_with_totp(client, enrolled)
    _age(client, STARTED_KEY, settings.RELAIS_SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_signing_in_gives_a_new_session_id(enrolled: Enrolled) -> None:
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in_with_totp(client, enrolled)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_a_forged_session_cookie_is_treated_as_signed_out(enrolled: Enrolled) -> None:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "forged" + "a" * 26
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_session_cookies_are_http_only_and_same_site(enrolled: Enrolled) -> None:
    client = Client()
    sign_in_with_totp(client, enrolled)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert time.time() > 0
