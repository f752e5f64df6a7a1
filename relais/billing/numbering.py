"""Gapless numbers per series and year: RLS-2026-000123 (statements), AVR-2026-000007.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers)
and incremented in the issuing transaction: two issuers queue on the lock, and a rollback
gives the number back, so the series has no gap and no duplicate.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from relais.billing.models import DocumentSequence

STATEMENT_SERIES = "RLS"
CREDIT_NOTE_SERIES = "AVR"


def next_number(series: str, year: int) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a number is taken inside the issuing transaction")
    _ensure_sequence(series, year)
    sequence = DocumentSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{series}-{year:04d}-{sequence.last_number:06d}"


def _ensure_sequence(series: str, year: int) -> None:
    """Create the year's counter once; a concurrent creator's row is just as good."""
    if DocumentSequence.objects.filter(series=series, year=year).exists():
        return
    try:
        with transaction.atomic():
            DocumentSequence.objects.create(series=series, year=year)
    except IntegrityError:
        pass
