"""`relais keys`: every sub-command works and prints no key material."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from relais.vault.models import DataKey, KeyStatus
from relais.vault.providers import FileKeyProvider

from .probe import VaultProbe
from .test_fields import make

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def key_material(keyring: FileKeyProvider) -> list[str]:
    data = json.loads(keyring.path.read_text())
    return [data["blind_index_master"], *(k["key"] for k in data["keks"].values())]


def test_init_reports_a_ready_provider() -> None:
    assert "ready" in run("init")


def test_status_lists_keys_without_their_material(
    probe_model: type[VaultProbe], keyring: FileKeyProvider
) -> None:
    make()
    out = run("status")
    key = DataKey.objects.get()
    assert str(key.id) in out
    assert "active" in out
    assert not any(secret in out for secret in key_material(keyring))


def test_rotate_dek_then_reencrypt_through_the_command(probe_model: type[VaultProbe]) -> None:
    make()
    period = DataKey.objects.get().period
    assert "reencrypt" in run("rotate-dek", "--pharmacy", "1", "--period", period)
    assert DataKey.objects.filter(status=KeyStatus.RETIRED).count() == 1
    assert "rows re-encrypted" in run("reencrypt", "--batch-size", "10")


def test_rotate_kek_names_the_new_kek(probe_model: type[VaultProbe]) -> None:
    make()
    period = DataKey.objects.get().period
    assert f"kek-{period}-v2" in run("rotate-kek", "--period", period)


def test_a_malformed_period_is_refused() -> None:
    with pytest.raises(CommandError):
        run("destroy-period", "--period", "2024-13")


def test_destroying_the_current_period_is_refused_with_the_reason() -> None:
    from relais.vault.periods import current_period

    with pytest.raises(CommandError, match="current or a future month"):
        run("destroy-period", "--period", current_period())
