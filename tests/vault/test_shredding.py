"""Crypto-shredding a period: refused while data remains, then every copy is unreadable."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.vault.crypto import decrypt_value, encrypt_value
from relais.vault.envelope import Context
from relais.vault.errors import DecryptionError, DestroyedKeyError, VaultError
from relais.vault.keyops import (
    can_destroy_period,
    destroy_period,
    register_destroy_guard,
    unregister_destroy_guard,
)
from relais.vault.keystore import clear_key_cache
from relais.vault.models import DataKey, KeyStatus
from relais.vault.periods import current_period
from relais.vault.providers import FileKeyProvider

from .probe import VaultProbe
from .test_fields import make

pytestmark = pytest.mark.django_db
OLD, OTHER = "2024-01", "2024-02"


def in_period(period: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{period}-15T12:00:00+01:00")


def backup_of(probe: VaultProbe) -> tuple[Context, bytes]:
    """What a stolen backup would hold: the raw token of one field, with its context."""
    field = VaultProbe._meta.get_field("last_name")
    return field.context(probe), VaultProbe.objects.filter(pk=probe.pk).values_list(  # type: ignore[attr-defined]
        "last_name", flat=True
    ).get().token


def test_a_period_still_holding_rows_cannot_be_destroyed(probe_model: type[VaultProbe]) -> None:
    make(created_at=in_period(OLD))
    allowed, reason = can_destroy_period(OLD, [VaultProbe])
    assert not allowed
    assert "1 vault_probe.VaultProbe rows" in reason
    with pytest.raises(VaultError, match="refusing"):
        destroy_period(OLD, models_=[VaultProbe])
    assert DataKey.objects.get(period=OLD).status == KeyStatus.ACTIVE


def test_the_current_and_future_months_cannot_be_destroyed(
    probe_model: type[VaultProbe],
) -> None:
    for period in (current_period(), "2999-01"):
        allowed, reason = can_destroy_period(period)
        assert not allowed
        assert "current or a future month" in reason


def test_another_app_can_veto_the_destruction(probe_model: type[VaultProbe]) -> None:
    def retention(period: str) -> tuple[bool, str]:
        return False, f"screenings of {period} are within retention"

    register_destroy_guard(retention)
    try:
        assert can_destroy_period(OLD, [VaultProbe]) == (
            False,
            f"screenings of {OLD} are within retention",
        )
    finally:
        unregister_destroy_guard(retention)


def test_destroying_a_purged_period_shreds_its_backups_but_not_other_periods(
    probe_model: type[VaultProbe], keyring: FileKeyProvider
) -> None:
    old, other = make(created_at=in_period(OLD)), make(created_at=in_period(OTHER))
    old_backup, other_backup = backup_of(old), backup_of(other)
    VaultProbe.objects.filter(pk=old.pk).delete()  # the retention purge

    destroyed = destroy_period(OLD, models_=[VaultProbe])

    assert destroyed == [f"kek-{OLD}-v1"]
    assert not keyring.has_kek(f"kek-{OLD}-v1")
    key = DataKey.objects.get(period=OLD)
    assert (key.status, bytes(key.wrapped_key)) == (KeyStatus.DESTROYED, b"")
    clear_key_cache()
    with pytest.raises(DecryptionError, match="destroyed"):
        decrypt_value(*old_backup)
    assert decrypt_value(*other_backup) == "Dupont"


def test_a_restored_key_row_does_not_bring_a_shredded_period_back(
    probe_model: type[VaultProbe],
) -> None:
    old = make(created_at=in_period(OLD))
    context, token = backup_of(old)
    saved = DataKey.objects.values("id", "wrapped_key", "kek_id").get(period=OLD)
    VaultProbe.objects.filter(pk=old.pk).delete()
    destroy_period(OLD, models_=[VaultProbe])
    DataKey.objects.filter(id=saved["id"]).update(  # an old database backup restored
        wrapped_key=saved["wrapped_key"], status=KeyStatus.ACTIVE
    )
    clear_key_cache()
    with pytest.raises(DecryptionError, match="cannot be unwrapped"):
        decrypt_value(context, token)


def test_no_new_data_can_be_sealed_in_a_shredded_period(probe_model: type[VaultProbe]) -> None:
    destroy_period(OLD, models_=[VaultProbe])
    with pytest.raises(DestroyedKeyError, match="shredded"):
        encrypt_value(Context(1, "vault_probe.VaultProbe", "x", "id", OLD), "late")
    assert destroy_period(OLD, models_=[VaultProbe]) == []  # rerun is harmless
