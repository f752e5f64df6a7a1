"""encrypt_value / decrypt_value with real data keys in the database."""

from __future__ import annotations

import uuid

import pytest

from relais.vault.crypto import decrypt_value, encrypt_value
from relais.vault.envelope import Context
from relais.vault.errors import DecryptionError
from relais.vault.keystore import clear_key_cache
from relais.vault.models import DataKey, KeyStatus, PeriodKey
from relais.vault.providers import FileKeyProvider

pytestmark = pytest.mark.django_db


def ctx(pharmacy_id: int = 1, field: str = "email", period: str = "2025-01") -> Context:
    return Context(
        pharmacy_id, "accounts.Factor", field, "5b7c0d1e-0000-4000-8000-000000000001", period
    )


def test_a_value_round_trips_and_the_token_hides_it() -> None:
    token = encrypt_value(ctx(), "jeanne@example.org")
    assert b"jeanne" not in token
    assert decrypt_value(ctx(), token) == "jeanne@example.org"


def test_the_first_value_of_a_period_creates_its_kek_and_a_wrapped_dek(
    keyring: FileKeyProvider,
) -> None:
    encrypt_value(ctx(period="2025-02"), "x")
    key = DataKey.objects.get(pharmacy_id=1, period="2025-02")
    assert key.status == KeyStatus.ACTIVE
    assert key.kek_id == "kek-2025-02-v1"
    assert PeriodKey.objects.get(period="2025-02").kek_id == "kek-2025-02-v1"
    assert keyring.has_kek("kek-2025-02-v1")
    assert len(bytes(key.wrapped_key)) == 12 + 32 + 16


def test_pharmacies_and_periods_get_distinct_data_keys() -> None:
    encrypt_value(ctx(pharmacy_id=1), "x")
    encrypt_value(ctx(pharmacy_id=2), "x")
    encrypt_value(ctx(pharmacy_id=1, period="2025-02"), "x")
    assert DataKey.objects.count() == 3


def test_a_value_moved_to_another_pharmacy_is_refused_naming_the_field() -> None:
    token = encrypt_value(ctx(pharmacy_id=1), "secret-ish")
    with pytest.raises(DecryptionError, match="'email'") as refused:
        decrypt_value(ctx(pharmacy_id=2), token)
    assert "accounts.Factor" in str(refused.value)


def test_a_missing_data_key_is_a_decryption_error_not_an_empty_value() -> None:
    token = encrypt_value(ctx(), "x")
    DataKey.objects.all().delete()
    clear_key_cache()
    with pytest.raises(DecryptionError, match="does not exist"):
        decrypt_value(ctx(), token)


def test_a_data_key_whose_kek_vanished_is_a_decryption_error(keyring: FileKeyProvider) -> None:
    token = encrypt_value(ctx(), "x")
    keyring.destroy_kek("kek-2025-01-v1")
    clear_key_cache()
    with pytest.raises(DecryptionError, match="cannot be unwrapped"):
        decrypt_value(ctx(), token)


def test_a_token_naming_an_unknown_key_is_refused() -> None:
    token = bytearray(encrypt_value(ctx(), "x"))
    token[1:17] = uuid.uuid4().bytes
    with pytest.raises(DecryptionError):
        decrypt_value(ctx(), bytes(token))
