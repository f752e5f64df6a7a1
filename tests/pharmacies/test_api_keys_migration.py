"""Moving the API keys' model to the pharmacies app keeps the table's rows: every key issued
before the move still authenticates after it, as the same key of the same pharmacy."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from relais.pharmacies.apikeys.authentication import authenticate_key
from relais.pharmacies.apikeys.tokens import new_key
from relais.pharmacies.models import ApiKey

BEFORE_THE_MOVE = [
    ("api", "0001_api_keys_idempotency_rate_counters"),
    ("pharmacies", "0001_pharmacies_and_memberships"),
]


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_keys_issued_before_the_move_still_authenticate_after_it() -> None:
    old = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE).apps
    pharmacy = old.get_model("pharmacies", "Pharmacy").objects.create(
        name="Pharmacie du Port", finess="690000013"
    )
    issued = [new_key() for _ in range(2)]
    old_key = old.get_model("api", "ApiKey")
    for number, key in enumerate(issued):
        old_key.objects.create(
            pharmacy_id=pharmacy.pk,
            name=f"LGO {number}",
            prefix=key.prefix,
            digest=key.digest,
            scopes=["screenings:write"],
        )

    _migrate()

    assert ApiKey._meta.db_table == "pharmacies_apikey"
    assert {k.prefix for k in ApiKey.objects.all()} == {k.prefix for k in issued}
    for key in issued:
        caller = authenticate_key(key.plaintext)
        assert caller is not None and caller.pharmacy_id == pharmacy.pk
    assert "api_apikey" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_keys_content_type_moves_with_the_model_and_back() -> None:
    ContentType.objects.get_or_create(app_label="pharmacies", model="apikey")

    _migrate(BEFORE_THE_MOVE)
    assert ContentType.objects.filter(app_label="api", model="apikey").count() == 1
    assert not ContentType.objects.filter(app_label="pharmacies", model="apikey").exists()

    _migrate()
    assert ContentType.objects.filter(app_label="pharmacies", model="apikey").count() == 1
    assert not ContentType.objects.filter(app_label="api", model="apikey").exists()
