"""Account fixtures: a real SMTP server (aiosmtpd on 127.0.0.1), enrolled users, sign-in."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from relais.accounts.demo import enrol_demo_totp
from relais.accounts.models import User
from tests.conftest import PERSONA_PASSWORD, Personas


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    @staticmethod
    def body(message: Message) -> str:
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(message.get_content_charset() or "utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server; Django's default mailer points at it for the test."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield mailbox
    finally:
        controller.stop()


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@dataclass
class Enrolled:
    user: User
    secret: str
    password: str = PERSONA_PASSWORD


@pytest.fixture
def enrolled(personas: Personas) -> Enrolled:
    """The pharmacist of pharmacy A, with a TOTP authenticator."""
    user = personas["pharmacist_a"].user
    assert user is not None
    return Enrolled(user, enrol_demo_totp(user))


def password_step(client: Client, email_address: str, password: str) -> Any:
    return client.post("/login/", {"login": email_address, "password": password})


def sign_in_with_totp(client: Client, who: Enrolled, offset: int = 0) -> Any:
    response = password_step(client, who.user.email, who.password)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/account/2fa/authenticate/"
    return client.post("/account/2fa/authenticate/", {"code": totp_code(who.secret, offset)})
