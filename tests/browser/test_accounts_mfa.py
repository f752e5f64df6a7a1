"""In Debian's chromium: accept an invitation, enrol TOTP and a passkey, sign in with each.

The passkey lives in Chrome's virtual authenticator (DevTools WebAuthn domain). WebAuthn
needs a secure context: http://localhost is one, so the live server is reached as localhost
(allauth takes the relying-party id from the host: "localhost").
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, Page, sync_playwright

from relais.access.actors import SYSTEM
from relais.access.roles import PharmacyRole
from relais.pharmacies import services
from relais.pharmacies.models import Membership, Pharmacy

pytestmark = [pytest.mark.browser]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "une longue phrase de passe pour le navigateur 9"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def base_url(live_server: Any) -> str:
    return str(live_server.url).replace("127.0.0.1", "localhost")


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _next_step_code(secret: str) -> str:
    """A code of the next time step (tolerance 1), so it differs from one already used."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + 1))


def _invite(base_url: str, settings: Any) -> str:
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    pharmacy = Pharmacy.objects.create(name="Pharmacie Test", finess="690000013")
    owner = services.invite_owner(
        SYSTEM, pharmacy, email="owner@example.test", full_name="Owner", base_url=base_url
    )
    Membership.objects.filter(pk__isnull=False).update(is_active=True)
    issued = services.invite_staff(
        SYSTEM,
        pharmacy,
        email="tech@example.test",
        full_name="Tech",
        role=PharmacyRole.TECHNICIAN,
        base_url=base_url,
    )
    del owner
    return base_url + issued.path


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def _sign_out(page: Page, base_url: str) -> None:
    page.click("#sign-out")
    page.wait_for_load_state()
    page.goto(base_url + "/")
    assert "/login/" in page.url


def test_invitation_totp_and_passkey_enrolment_then_sign_in_with_each(
    browser: Browser, base_url: str, settings: Any
) -> None:
    link = _invite(base_url, settings)
    page = browser.new_page()
    _virtual_authenticator(page)

    page.goto(link)
    assert page.url.endswith("/invitation/")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#choose-password")
    assert page.url.endswith("/account/2fa/")

    page.goto(base_url + "/account/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.fill("input[name=code]", _code(secret))
    page.click("button[type=submit]:not(#sign-out)")
    page.wait_for_load_state()
    assert "/account/2fa/" in page.url

    page.goto(base_url + "/account/2fa/passkeys/add/")
    page.fill("input[name=name]", "Poste comptoir")
    page.check("input[name=passwordless]")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(re.compile(r".*/account/2fa/(recovery-codes/|passkeys/)?$"))
    page.goto(base_url + "/")
    assert page.url == base_url + "/"

    _sign_out(page, base_url)
    page.fill("#id_login", "tech@example.test")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r".*/account/2fa/authenticate/$"))
    page.fill("input[name=code]", _next_step_code(secret))
    page.click("form[action$='/account/2fa/authenticate/'] button[type=submit]")
    page.wait_for_url(base_url + "/")

    _sign_out(page, base_url)
    page.click("#passkey_login")
    page.wait_for_url(base_url + "/")
    page.close()
