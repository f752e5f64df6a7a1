"""Data keys: find or create the active DEK of a (pharmacy, period), open any DEK by id.

Unwrapped DEKs are cached in process memory (LRU, 5-minute expiry by default, setting
``RELAIS_VAULT_KEY_CACHE_SECONDS``). Rotation and destruction clear this process's cache;
other processes follow within the expiry. A process that still writes with a just-retired
DEK is harmless: ``reencrypt`` picks up every row under a retired DEK.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from relais.vault.cache import TtlLru
from relais.vault.envelope import DEK_LENGTH, Context
from relais.vault.errors import DestroyedKeyError, KeyProviderError
from relais.vault.models import DataKey, KeyStatus, PeriodKey
from relais.vault.periods import kek_id_for, parse_kek_id, validate_period
from relais.vault.providers import get_provider


@dataclass(frozen=True, slots=True)
class OpenKey:
    key_id: uuid.UUID
    pharmacy_id: int
    period: str
    dek: bytes
    # Built once per unwrapped key (not per value); it lives exactly as long as the DEK.
    aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "aead", AESGCM(self.dek))

    def __repr__(self) -> str:
        return f"<OpenKey {self.key_id} pharmacy {self.pharmacy_id} {self.period}>"


def _ttl() -> float:
    return float(getattr(settings, "RELAIS_VAULT_KEY_CACHE_SECONDS", 300))


_open_keys: TtlLru[uuid.UUID, OpenKey] = TtlLru(max_entries=4096, ttl=300)
_active_ids: TtlLru[tuple[int, str], uuid.UUID] = TtlLru(max_entries=4096, ttl=300)


def clear_key_cache() -> None:
    """Forget every unwrapped key of this process (after rotation or destruction)."""
    _open_keys.clear()
    _active_ids.clear()
    _open_keys.ttl = _active_ids.ttl = _ttl()


def key_for_encryption(pharmacy_id: int, period: str) -> OpenKey:
    """The active DEK of (pharmacy, period), created (and its KEK) on first use."""
    key_id = _active_ids.get((pharmacy_id, period))
    if key_id is not None and (cached := _open_keys.get(key_id)) is not None:
        return cached
    row = DataKey.objects.filter(
        pharmacy_id=pharmacy_id, period=period, status=KeyStatus.ACTIVE
    ).first()
    if row is None:
        row = _create_active_key(pharmacy_id, validate_period(period))
    key = _open(row)
    _active_ids.put((pharmacy_id, period), key.key_id)
    return key


def key_for_decryption(ctx: Context, key_id: uuid.UUID) -> OpenKey:
    """Open the DEK a token names, refusing destroyed keys and other pharmacies' keys."""
    key = _open_keys.get(key_id)
    if key is None:
        row = DataKey.objects.filter(id=key_id).first()
        if row is None:
            raise ctx.fail(f"data key {key_id} does not exist")
        if row.status == KeyStatus.DESTROYED:
            raise ctx.fail(f"data key {key_id} was destroyed (period {row.period} shredded)")
        try:
            key = _open(row)
        except KeyProviderError as exc:
            raise ctx.fail(f"data key {key_id} cannot be unwrapped: {exc}") from None
    if key.pharmacy_id != ctx.pharmacy_id:
        raise ctx.fail(f"data key {key_id} belongs to another pharmacy")
    return key


def cached_key(key_id: uuid.UUID) -> OpenKey | None:
    """The DEK `key_id` if this process holds it open (no database, no checks)."""
    return _open_keys.get(key_id)


def _open(row: DataKey) -> OpenKey:
    dek = get_provider().unwrap(row.kek_id, bytes(row.wrapped_key))
    key = OpenKey(row.id, row.pharmacy_id, row.period, dek)
    _open_keys.put(row.id, key)
    return key


def _create_active_key(pharmacy_id: int, period: str) -> DataKey:
    """Create version N+1 under the period's KEK, the period row locked; lose races cleanly."""
    try:
        with transaction.atomic():
            period_key = lock_period(period)
            return new_data_key(period_key, pharmacy_id)
    except IntegrityError:
        # Another process created the active key between our read and our insert.
        return DataKey.objects.get(pharmacy_id=pharmacy_id, period=period, status=KeyStatus.ACTIVE)


def new_data_key(period_key: PeriodKey, pharmacy_id: int) -> DataKey:
    """Insert a fresh active DEK (caller holds the period lock and retired the old one)."""
    last = DataKey.objects.filter(pharmacy_id=pharmacy_id, period=period_key.period).aggregate(
        last=Max("version")
    )["last"]
    dek = AESGCM.generate_key(bit_length=DEK_LENGTH * 8)
    return DataKey.objects.create(
        pharmacy_id=pharmacy_id,
        period=period_key.period,
        version=(last or 0) + 1,
        wrapped_key=get_provider().wrap(period_key.kek_id, dek),
        kek_id=period_key.kek_id,
    )


def lock_period(period: str) -> PeriodKey:
    """Lock (creating with its first KEK if needed) the period's row; refuse shredded periods.

    Must run inside a transaction.
    """
    period_key = PeriodKey.objects.select_for_update().filter(period=period).first()
    if period_key is None:
        kek_id = next_kek_id(period)
        ensure_kek(kek_id)
        with transaction.atomic():  # savepoint: a concurrent creator wins, we re-read
            try:
                period_key = PeriodKey.objects.create(period=period, kek_id=kek_id)
            except IntegrityError:
                period_key = None
        if period_key is None:
            period_key = PeriodKey.objects.select_for_update().get(period=period)
    if period_key.status == KeyStatus.DESTROYED:
        raise DestroyedKeyError(f"period {period} was shredded: no new data can be sealed in it")
    return period_key


def next_kek_id(period: str) -> str:
    versions = [
        parsed[1]
        for parsed in map(parse_kek_id, get_provider().list_keks())
        if parsed is not None and parsed[0] == period
    ]
    return kek_id_for(period, max(versions, default=0) + 1)


def ensure_kek(kek_id: str) -> None:
    provider = get_provider()
    if provider.has_kek(kek_id):
        return
    try:
        provider.create_kek(kek_id)
    except KeyProviderError:
        if not provider.has_kek(kek_id):  # lost a creation race: fine if it now exists
            raise
