"""Web fixtures: the EU device list, a counter form that is valid, signed-in clients."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from relais.accounts.testing import mark_mfa_verified
from tests.conftest import Persona

PANBIO = "1232"
NIR = "280017512345622"


def nir_with_key(first13: str) -> str:
    number = int(first13)
    return f"{first13}{97 - number % 97:02d}"


def counter_form(**changes: str) -> dict[str, str]:
    """What a pharmacist types for a walk-in patient, as the browser posts it."""
    now = datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")
    form = {
        "last_name": "Dupont",
        "first_names": "Marie, Hélène",
        "sex": "F",
        "birth_date": "1980-01-17",
        "nir": nir_with_key("2800175123456"),
        "email": "marie.dupont@example.org",
        "test_kind": "rapid_antigen",
        "device_id": PANBIO,
        "sampled_at": now,
        "result": "negative",
        "consent": "on",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def reauthenticated(persona: Persona) -> Client:
    """A client that proved its password and a second factor just now."""
    client = persona.client()
    assert persona.user is not None
    mark_mfa_verified(client, persona.user, password=True)
    return client


def location(response: Any) -> str:
    return str(response["Location"])
