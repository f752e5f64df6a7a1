"""The start-up check refuses a provider that cannot protect data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from relais.vault.checks import check_key_provider
from relais.vault.providers import FileKeyProvider, reset_provider


def test_a_healthy_keyring_passes(keyring: FileKeyProvider) -> None:
    assert check_key_provider() == []


def test_a_missing_keyring_is_a_problem(tmp_path: Path) -> None:
    reset_provider(FileKeyProvider(tmp_path / "none.json"))
    assert "relais keys init" in check_key_provider()[0]


@override_settings(PRODUCTION=True)
def test_production_refuses_the_file_provider(keyring: FileKeyProvider) -> None:
    assert any("pkcs11" in problem for problem in check_key_provider())


@pytest.mark.parametrize("kind", ["pkcs11", "vault-of-dreams"])
def test_an_incomplete_provider_setting_is_a_problem(kind: str) -> None:
    reset_provider(None)
    with override_settings(RELAIS_KEY_PROVIDER=kind, RELAIS_PKCS11_PIN=""):
        assert check_key_provider() != []
