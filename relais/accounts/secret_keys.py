"""Keep MFA secrets readable across crypto-shredding: guard and re-seal.

MFA secrets are sealed under the platform's DEK of the month they were written in. A month
is shredded when its patient data has been purged; account secrets must not die with it.
``reseal_account_secrets`` (run by the retention job before shredding, or by hand) moves
every secret to the current month's key; the guard refuses to shred a month whose key still
seals an account secret, so forgetting to re-seal locks nobody out.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db import transaction

from relais.accounts import sealing
from relais.vault.models import DataKey
from relais.vault.shredding import register_destroy_guard

SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}


def _sealed_values(authenticator: Authenticator) -> list[tuple[str, str]]:
    data: dict[str, Any] = authenticator.data or {}
    return [
        (name, data[name])
        for name in SECRET_FIELDS.get(str(authenticator.type), ())
        if isinstance(data.get(name), str)
    ]


def secrets_guard(period: str) -> tuple[bool, str]:
    key_ids = {
        str(k)
        for k in DataKey.objects.filter(
            period=period, pharmacy_id=sealing.PLATFORM_PHARMACY_ID
        ).values_list("id", flat=True)
    }
    if not key_ids:
        return True, ""
    for authenticator in Authenticator.objects.exclude(type="webauthn").iterator():
        for _, value in _sealed_values(authenticator):
            if sealing.sealed_key_id(value) in key_ids:
                return False, f"MFA secrets are still sealed with {period}'s keys: reseal first"
    return True, ""


def reseal_account_secrets() -> int:
    """Re-seal every MFA secret under the current month's key; returns how many moved."""
    moved = 0
    for authenticator in Authenticator.objects.exclude(type="webauthn").iterator():
        values = _sealed_values(authenticator)
        if not values:
            continue
        with transaction.atomic():
            for name, value in values:
                owner = sealing.owner_of(value)
                authenticator.data[name] = sealing.seal_secret(owner, sealing.open_secret(value))
                moved += 1
            authenticator.save(update_fields=["data"])
    return moved


def register() -> None:
    register_destroy_guard(secrets_guard)
