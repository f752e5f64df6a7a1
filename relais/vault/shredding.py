"""Crypto-shredding of a period: destroy its KEKs so every copy of its data is unreadable.

``destroy_period`` refuses unless every destroy guard agrees. Guards are registered by the
apps that know retention (``register_destroy_guard``); the vault's own guard refuses the
current and future months and any period whose DEKs still seal rows in the database —
the retention purge must have emptied them first. Shredding then protects the copies the
purge cannot reach: backups, replicas, stray dumps. Deny by default: with no registered
guard, the vault's guard still applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from relais.vault.audit import audit
from relais.vault.errors import VaultError
from relais.vault.fields import models_with_encrypted_fields
from relais.vault.keystore import clear_key_cache
from relais.vault.models import DataKey, KeyStatus, PeriodKey
from relais.vault.periods import current_period, parse_kek_id, validate_period
from relais.vault.providers import get_provider
from relais.vault.reencryption import rows_under_keys

DestroyGuard = Callable[[str], tuple[bool, str]]
_guards: list[DestroyGuard] = []


def register_destroy_guard(guard: DestroyGuard) -> None:
    """Let another app (retention) veto shredding a period: ``guard(period) -> (ok, reason)``."""
    if guard not in _guards:
        _guards.append(guard)


def unregister_destroy_guard(guard: DestroyGuard) -> None:
    if guard in _guards:
        _guards.remove(guard)


def can_destroy_period(
    period: str, models_: Sequence[type[models.Model]] | None = None
) -> tuple[bool, str]:
    validate_period(period)
    if period >= current_period():
        return False, f"period {period} is the current or a future month"
    for guard in [_rows_guard(models_), *_guards]:
        allowed, reason = guard(period)
        if not allowed:
            return False, reason
    return True, ""


def _rows_guard(models_: Sequence[type[models.Model]] | None) -> DestroyGuard:
    def guard(period: str) -> tuple[bool, str]:
        key_ids = list(
            DataKey.objects.filter(period=period)
            .exclude(status=KeyStatus.DESTROYED)
            .values_list("id", flat=True)
        )
        if not key_ids:
            return True, ""
        for model in models_ if models_ is not None else models_with_encrypted_fields():
            count = rows_under_keys(model, key_ids).count()
            if count:
                return False, f"{count} {model._meta.label} rows still hold data of {period}"
        return True, ""

    return guard


def destroy_period(
    period: str, actor: Any = None, models_: Sequence[type[models.Model]] | None = None
) -> list[str]:
    """Shred ``period``; returns the KEK ids destroyed. Rerunning finishes an interrupted run."""
    already = PeriodKey.objects.filter(period=period, status=KeyStatus.DESTROYED).exists()
    if not already:
        allowed, reason = can_destroy_period(period, models_)
        if not allowed:
            raise VaultError(f"refusing to destroy period {period}: {reason}")
        _mark_destroyed(period, actor)
    clear_key_cache()
    provider = get_provider()
    doomed = [k for k in provider.list_keks() if (parse_kek_id(k) or ("", 0))[0] == period]
    for kek_id in doomed:
        provider.destroy_kek(kek_id)
    clear_key_cache()
    return doomed


def _mark_destroyed(period: str, actor: Any) -> None:
    now = timezone.now()
    with transaction.atomic():
        period_key, _ = PeriodKey.objects.select_for_update().get_or_create(
            period=period, defaults={"kek_id": ""}
        )
        keys = DataKey.objects.filter(period=period).exclude(status=KeyStatus.DESTROYED)
        key_ids = list(keys.values_list("id", flat=True))
        keys.update(status=KeyStatus.DESTROYED, wrapped_key=b"", destroyed_at=now)
        period_key.status = KeyStatus.DESTROYED
        period_key.destroyed_at = now
        period_key.save(update_fields=["status", "destroyed_at"])
        audit(
            "period_destroyed",
            destroyed=True,
            actor=actor,
            object_ids=key_ids,
            details={"period": period, "data_keys": len(key_ids)},
        )
