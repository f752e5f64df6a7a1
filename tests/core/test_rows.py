"""The hot path's row writer: new rows written as `save()` would, in as few round trips."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from relais.core.rows import insert_new, together
from relais.pharmacies.models import Pharmacy

pytestmark = pytest.mark.django_db


def _pharmacies(*finess: str) -> list[Pharmacy]:
    return [Pharmacy(name=f"Pharmacie {f}", finess=f) for f in finess]


def test_inserts_inside_together_are_written_at_its_end_with_their_keys_read_back() -> None:
    first, second = _pharmacies("690000013"), _pharmacies("690000021", "690000039")

    with CaptureQueriesContext(connection) as sent, together():
        insert_new(first)
        insert_new(second)

    saved = dict(Pharmacy.objects.values_list("pk", "finess"))
    assert [saved[p.pk] for p in first + second] == ["690000013", "690000021", "690000039"]
    assert not any(p._state.adding for p in first + second)
    if connection.vendor == "postgresql":  # one round trip for both calls
        assert len(sent.captured_queries) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="elsewhere together() writes each call at once"
)
def test_nothing_inside_together_is_sent_before_its_end_nor_when_the_block_fails() -> None:
    pending = _pharmacies("690000047")

    with pytest.raises(RuntimeError), together():
        insert_new(pending)
        assert not Pharmacy.objects.filter(finess="690000047").exists()
        raise RuntimeError("the caller's transaction rolls back")

    assert not Pharmacy.objects.filter(finess="690000047").exists()
    assert pending[0]._state.adding


def test_a_unique_violation_inside_together_is_an_integrity_error_and_writes_nothing() -> None:
    Pharmacy.objects.create(name="Pharmacie du Parc", finess="690000054")
    fresh, clash = _pharmacies("690000062"), _pharmacies("690000054")

    with pytest.raises(IntegrityError), transaction.atomic(), together():
        insert_new(fresh)
        insert_new(clash)

    assert not Pharmacy.objects.filter(finess="690000062").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_the_hot_path_insert_is_prepared_once_it_repeats_on_its_connection() -> None:
    for n in range(7):
        insert_new(_pharmacies(f"6900001{n:02d}"))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['INSERT INTO "pharmacies_pharmacy"%'],
        )
        assert cursor.fetchone()[0] >= 1  # other tests on this connection may add more
