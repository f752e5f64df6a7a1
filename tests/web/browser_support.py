"""Browser helpers for the web screens: Debian's chromium, sign-in with TOTP, a typist that
counts keystrokes (how the counter's entry times are measured)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, Page, sync_playwright

from relais.accounts.demo import enrol_demo_totp
from tests.conftest import PERSONA_PASSWORD, Personas

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Keystroke-Level Model (Card, Moran & Newell): a skilled typist's keystroke and the
# mental preparation before each new field; used to turn a counted entry into a human time.
KEYSTROKE_S = 0.28
MENTAL_S = 1.35


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def base_url(live_server: Any, settings: Any) -> str:
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    return str(live_server.url).replace("127.0.0.1", "localhost")


def totp(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@dataclass
class Staff:
    email: str
    secret: str
    steps_used: int = 0

    def next_code(self) -> str:
        """A code not used yet (each TOTP code is accepted once; tolerance is one step)."""
        code = totp(self.secret, min(self.steps_used, 1))
        self.steps_used += 1
        return code


def enrol(personas: Personas, name: str) -> Staff:
    user = personas[name].user
    assert user is not None
    return Staff(user.email, enrol_demo_totp(user))


def sign_in(page: Page, base_url: str, staff: Staff) -> None:
    page.goto(base_url + "/login/")
    page.fill("#id_login", staff.email)
    page.fill("#id_password", PERSONA_PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r".*/account/2fa/authenticate/$"))
    page.fill("input[name=code]", staff.next_code())
    page.click("form[action$='/account/2fa/authenticate/'] button[type=submit]")
    page.wait_for_url(base_url + "/")


def choose_language(page: Page, lang: str) -> None:
    html_lang = page.get_attribute("html", "lang")
    if html_lang != lang:
        page.click(f".lang button[value={lang}]")
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang


@dataclass
class Typist:
    """Types through the real keyboard and counts what a person would press."""

    page: Page
    keystrokes: int = 0
    fields: int = 0
    started: float = field(default_factory=time.perf_counter)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.keystrokes += len(text)
        self.fields += 1

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self.keystrokes += times

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def human_estimate(self, server_s: float) -> float:
        """KLM estimate: keystrokes, one mental preparation per field, the measured waits."""
        return self.keystrokes * KEYSTROKE_S + self.fields * MENTAL_S + server_s
