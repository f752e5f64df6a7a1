"""Re-encryption of rows still sealed under retired DEKs, in bounded resumable batches.

Each batch is one transaction: select up to N rows whose token header names a retired DEK
(read with SQL ``substring``, no decryption), open every encrypted field, seal it again
under the active DEK and ``UPDATE`` only those columns (no ``save()``: model hooks must not
see key maintenance as a change). A crash rolls back the current batch only; a rerun
selects what is still under retired keys, so nothing is lost and nothing is sealed twice
(rows already under active keys never match). Rows are locked with ``SKIP LOCKED`` where
the database has it (PostgreSQL), so writers and other re-encrypters are not blocked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Substr

from relais.vault.envelope import KEY_ID_LENGTH, KEY_ID_OFFSET
from relais.vault.fields import EncryptedField, encrypted_fields, models_with_encrypted_fields
from relais.vault.models import DataKey, KeyStatus

BatchHook = Callable[[type[models.Model], int], None]


@dataclass
class ReencryptReport:
    rows_by_model: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows_by_model.values())


def key_header_alias(field: EncryptedField) -> str:
    return f"_vault_key_{field.attname}"


def rows_under_keys(model: type[models.Model], key_ids: Iterable[uuid.UUID]) -> models.QuerySet:  # type: ignore[type-arg]
    """Rows of ``model`` having at least one token sealed under one of ``key_ids``."""
    raw_ids = [key_id.bytes for key_id in key_ids]
    fields = encrypted_fields(model)
    headers = {
        key_header_alias(f): Substr(
            f.attname, KEY_ID_OFFSET + 1, KEY_ID_LENGTH, output_field=models.BinaryField()
        )
        for f in fields
    }
    condition = Q()
    for alias in headers:
        condition |= Q(**{f"{alias}__in": raw_ids})
    query: models.QuerySet[models.Model] = model._base_manager.alias(**headers).filter(condition)
    return query


def retired_key_ids() -> list[uuid.UUID]:
    return list(DataKey.objects.filter(status=KeyStatus.RETIRED).values_list("id", flat=True))


def reencrypt(
    batch_size: int = 500,
    models_: Sequence[type[models.Model]] | None = None,
    on_batch: BatchHook | None = None,
) -> ReencryptReport:
    """Move every row off retired DEKs; safe to interrupt and rerun."""
    report = ReencryptReport()
    key_ids = retired_key_ids()
    if not key_ids:
        return report
    for model in models_ if models_ is not None else models_with_encrypted_fields():
        done = 0
        while count := _reencrypt_batch(model, key_ids, batch_size):
            done += count
            if on_batch is not None:
                on_batch(model, count)
        report.rows_by_model[model._meta.label] = done
    return report


def _reencrypt_batch(model: type[models.Model], key_ids: list[uuid.UUID], batch_size: int) -> int:
    fields = encrypted_fields(model)
    with transaction.atomic():
        query = rows_under_keys(model, key_ids).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True, of=("self",))
        rows = list(query[:batch_size])
        for row in rows:
            for f in fields:
                getattr(row, f.attname)  # open every sealed value under its retired key
            model._base_manager.filter(pk=row.pk).update(
                **{f.attname: f.pre_save(row, add=False) for f in fields}
            )
    return len(rows)
