"""API fixtures: the EU device list, keys of both pharmacies, valid bodies, a client."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from relais.access.actors import SYSTEM
from relais.pharmacies.apikeys.services import create_api_key
from relais.pharmacies.models import ApiKey
from tests.conftest import Personas

PANBIO = "1232"
BOTH = ["screenings:read", "screenings:write"]


def nir_with_key(first13: str) -> str:
    number = int(first13.replace("2A", "19").replace("2B", "18"))
    return f"{first13}{97 - number % 97:02d}"


def valid_body(index: int = 0, **changes: Any) -> dict[str, Any]:
    """A valid submission; `index` varies the person (and so the duplicate key)."""
    sampled = datetime.now(UTC) - timedelta(hours=1)
    body: dict[str, Any] = {
        "patient": {
            "last_name": "Dupont",
            "first_names": ["Marie", "Hélène"],
            "sex": "F",
            "birth_date": f"19{50 + index % 50:02d}-01-17",
            "nir": nir_with_key(f"2{50 + index % 50:02d}0175{123000 + index:06d}"[:13]),
            "no_nir_reason": None,
            "email": f"marie.dupont{index}@example.org",
            "phone": "06 12 34 56 78",
            "address": {"line": "3 rue de la Paix", "postal_code": "75002", "city": "Paris"},
        },
        "test_kind": "rapid_antigen",
        "device_id": PANBIO,
        "sampled_at": sampled.isoformat(),
        "result": "negative",
        "symptoms": False,
        "symptoms_onset": None,
        "consent": True,
        "external_ref": f"LGO-{index:04d}",
    }
    body = copy.deepcopy(body)
    for key, value in changes.items():
        if key.startswith("patient__"):
            if isinstance(body["patient"], dict):  # a change may have replaced the object
                body["patient"][key.removeprefix("patient__")] = value
        else:
            body[key] = value
    return body


@dataclass
class Keys:
    """Plaintext keys by name: a_write, a_read, a_both, b_both, revoked, expired."""

    plaintext: dict[str, str]
    records: dict[str, ApiKey]

    def __getitem__(self, name: str) -> str:
        return self.plaintext[name]


def make_key(pharmacy_id: int, scopes: list[str], name: str = "LGO") -> tuple[ApiKey, str]:
    return create_api_key(SYSTEM, pharmacy_id, name, scopes)


@pytest.fixture
def keys(personas: Personas, devices: None) -> Keys:
    a, b = personas.pharmacy_a.pk, personas.pharmacy_b.pk
    specs = {
        "a_write": (a, ["screenings:write"]),
        "a_read": (a, ["screenings:read"]),
        "a_both": (a, BOTH),
        "b_both": (b, BOTH),
        "revoked": (a, BOTH),
        "expired": (a, BOTH),
    }
    plaintext, records = {}, {}
    for name, (pharmacy_id, scopes) in specs.items():
        records[name], plaintext[name] = make_key(pharmacy_id, scopes, name)
    ApiKey.objects.filter(pk=records["revoked"].pk).update(revoked_at=timezone.now())
    ApiKey.objects.filter(pk=records["expired"].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    return Keys(plaintext, records)


class Api:
    """A test client speaking to /api/v1 with a key."""

    def __init__(self, key: str | None = None, lang: str = "fr") -> None:
        self.client = Client()
        self.key = key
        self.lang = lang

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": self.lang}
        if self.key is not None:
            headers["Authorization"] = f"Bearer {self.key}"
        return {**headers, **(extra or {})}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers())

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.client.post(
            f"/api/v1{path}", raw, content_type="application/json", headers=self.headers(headers)
        )


@pytest.fixture
def api_a(keys: Keys) -> Api:
    return Api(keys["a_both"])


@pytest.fixture
def api_b(keys: Keys) -> Api:
    return Api(keys["b_both"])
