"""Key management (operator tooling, not a domain service): initialise, rotate KEKs and DEKs,

Each service runs in one transaction and writes its audit event there; key material is
never returned, logged or put in an event, only key ids and counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from relais.vault.audit import audit
from relais.vault.fields import models_with_encrypted_fields
from relais.vault.keystore import (
    clear_key_cache,
    ensure_kek,
    lock_period,
    new_data_key,
    next_kek_id,
)
from relais.vault.models import DataKey, KeyStatus, PeriodKey
from relais.vault.periods import parse_kek_id, validate_period
from relais.vault.providers import get_provider
from relais.vault.reencryption import BatchHook, ReencryptReport, rows_under_keys
from relais.vault.reencryption import reencrypt as reencrypt_rows
from relais.vault.shredding import (
    can_destroy_period,
    destroy_period,
    register_destroy_guard,
    unregister_destroy_guard,
)

__all__ = [
    "KeyStatusRow",
    "ReencryptReport",
    "can_destroy_period",
    "destroy_period",
    "init_keys",
    "key_status",
    "reencrypt",
    "register_destroy_guard",
    "rotate_dek",
    "rotate_kek",
    "unregister_destroy_guard",
]


def init_keys(actor: Any = None) -> bool:
    """Create the keyring / blind-index master if absent; True when something was created."""
    created = get_provider().initialise()
    if created:
        with transaction.atomic():
            audit("keys_initialised", actor=actor, details={"provider": get_provider().name})
    return created


def rotate_kek(period: str | None = None, actor: Any = None) -> dict[str, str]:
    """Give each period (or one) a new KEK, rewrap its DEKs, then destroy the old KEKs.

    Data is not re-encrypted: only the wrapped DEKs change. The old KEK is destroyed after
    the rewrap has committed; an interrupted run leaves it in place and the next rotation
    removes it. Returns {period: new KEK id}.
    """
    periods = (
        [validate_period(period)]
        if period
        else list(
            PeriodKey.objects.filter(status=KeyStatus.ACTIVE)
            .order_by("period")
            .values_list("period", flat=True)
        )
    )
    rotated = {p: _rotate_period_kek(p, actor) for p in periods}
    for p, new_kek_id in rotated.items():
        _destroy_unused_keks(p, keep=new_kek_id)
    clear_key_cache()
    return rotated


def _rotate_period_kek(period: str, actor: Any) -> str:
    provider = get_provider()
    with transaction.atomic():
        period_key = lock_period(period)
        new_kek_id = next_kek_id(period)
        ensure_kek(new_kek_id)
        keys = DataKey.objects.filter(period=period).exclude(status=KeyStatus.DESTROYED)
        rewrapped = []
        for row in keys.exclude(kek_id=new_kek_id):
            dek = provider.unwrap(row.kek_id, bytes(row.wrapped_key))
            row.wrapped_key = provider.wrap(new_kek_id, dek)
            row.kek_id = new_kek_id
            row.save(update_fields=["wrapped_key", "kek_id"])
            rewrapped.append(row.id)
        old_kek_id, period_key.kek_id = period_key.kek_id, new_kek_id
        period_key.save(update_fields=["kek_id"])
        audit(
            "kek_rotated",
            actor=actor,
            object_ids=rewrapped,
            details={"period": period, "old_kek": old_kek_id, "new_kek": new_kek_id},
        )
    return new_kek_id


def _destroy_unused_keks(period: str, keep: str) -> None:
    provider = get_provider()
    for kek_id in provider.list_keks():
        parsed = parse_kek_id(kek_id)
        if parsed is None or parsed[0] != period or kek_id == keep:
            continue
        in_use = DataKey.objects.filter(kek_id=kek_id).exclude(status=KeyStatus.DESTROYED)
        if not in_use.exists():
            provider.destroy_kek(kek_id)


def rotate_dek(pharmacy_id: int, period: str, actor: Any = None) -> uuid.UUID:
    """Retire the active DEK of (pharmacy, period) and create the next version.

    New writes of that period use the new DEK; ``reencrypt`` moves the existing rows.
    """
    validate_period(period)
    with transaction.atomic():
        period_key = lock_period(period)
        retired = list(
            DataKey.objects.select_for_update().filter(
                pharmacy_id=pharmacy_id, period=period, status=KeyStatus.ACTIVE
            )
        )
        DataKey.objects.filter(id__in=[k.id for k in retired]).update(
            status=KeyStatus.RETIRED, retired_at=timezone.now()
        )
        new_key = new_data_key(period_key, pharmacy_id)
        audit(
            "dek_rotated",
            actor=actor,
            pharmacy_id=pharmacy_id,
            object_ids=[new_key.id, *(k.id for k in retired)],
            details={"period": period, "version": new_key.version},
        )
    clear_key_cache()
    return new_key.id


def reencrypt(
    batch_size: int = 500,
    actor: Any = None,
    models_: Sequence[type[models.Model]] | None = None,
    on_batch: BatchHook | None = None,
) -> ReencryptReport:
    """Re-seal rows still under retired DEKs (see ``reencryption``); audit the counts."""
    report = reencrypt_rows(batch_size, models_, on_batch)
    if report.total:
        with transaction.atomic():
            audit(
                "rows_reencrypted",
                actor=actor,
                details={"rows": report.total, "models": ",".join(sorted(report.rows_by_model))},
            )
    return report


@dataclass(frozen=True)
class KeyStatusRow:
    key_id: uuid.UUID
    pharmacy_id: int
    period: str
    version: int
    status: str
    kek_id: str
    age: dt.timedelta
    rows: int | None  # rows still sealed under this key (counted for retired keys only)


def key_status(models_: Sequence[type[models.Model]] | None = None) -> list[KeyStatusRow]:
    """Key ids, ages and rows left on retired keys; never key material."""
    now = timezone.now()
    models_ = models_ if models_ is not None else models_with_encrypted_fields()
    return [
        KeyStatusRow(
            key.id,
            key.pharmacy_id,
            key.period,
            key.version,
            key.status,
            key.kek_id,
            now - key.created_at,
            sum(rows_under_keys(m, [key.id]).count() for m in models_)
            if key.status == KeyStatus.RETIRED
            else None,
        )
        for key in DataKey.objects.order_by("period", "pharmacy_id", "version")
    ]
