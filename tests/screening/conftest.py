"""Screening fixtures: a private keyring per test, the EU device list, valid bodies."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from relais.screening.shipped import shipped_document
from relais.screening.valuesets import clear_device_cache
from relais.vault.blind import clear_blind_index_cache
from relais.vault.keystore import clear_key_cache
from relais.vault.providers import FileKeyProvider, reset_provider

NOW = datetime(2025, 3, 10, 11, 0, tzinfo=UTC)
SAMPLED = NOW - timedelta(hours=1)
PANBIO = "1232"  # active in the example list
NIR = "180017512345660"


def nir_with_key(first13: str) -> str:
    """An NIR with its key computed here, independently of the code under test."""
    number = int(first13.replace("2A", "19").replace("2B", "18"))
    return f"{first13}{97 - number % 97:02d}"


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient": {
            "last_name": "Dupont",
            "first_names": ["Marie", "Hélène"],
            "sex": "F",
            "birth_date": "1980-01-17",
            "nir": nir_with_key("2800175123456"),
            "no_nir_reason": None,
            "email": "marie.dupont@example.org",
            "phone": "06 12 34 56 78",
            "address": {"line": "3 rue de la Paix", "postal_code": "75002", "city": "Paris"},
        },
        "test_kind": "rapid_antigen",
        "device_id": PANBIO,
        "sampled_at": SAMPLED.isoformat(),
        "result": "negative",
        "symptoms": False,
        "symptoms_onset": None,
        "consent": True,
        "external_ref": "LGO-0001",
    }
    body = copy.deepcopy(body)
    for key, value in changes.items():
        if key.startswith("patient__"):
            body["patient"][key.removeprefix("patient__")] = value
        else:
            body[key] = value
    return body


def load_value_set(name: str) -> dict[str, Any]:
    """A fresh copy of one of the value-set files shipped with Relais."""
    return shipped_document(name)


@pytest.fixture(autouse=True)
def keyring(tmp_path: Path) -> Iterator[FileKeyProvider]:
    """Every test gets its own keyring file (the vault's own way of setting one up)."""
    provider = FileKeyProvider(tmp_path / "keys" / "keyring.json")
    provider.initialise()
    reset_provider(provider)
    clear_key_cache()
    clear_blind_index_cache()
    clear_device_cache()
    yield provider
    reset_provider(None)
    clear_key_cache()
    clear_blind_index_cache()
