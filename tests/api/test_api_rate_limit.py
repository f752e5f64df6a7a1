"""Per-key rate limit: beyond it a 429 with Retry-After; other keys are unaffected."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from relais.access.actors import SYSTEM
from relais.api import ratelimit
from relais.api.models import ApiRateCounter
from relais.pharmacies.apikeys.services import create_api_key
from relais.pharmacies.models import Pharmacy
from tests.api.conftest import Api, Keys


def test_a_key_over_its_rate_gets_429_with_retry_after(keys: Keys, settings: Any) -> None:
    settings.RELAIS_API_RATE_LIMIT = 3
    api = Api(keys["a_both"])
    statuses = [api.get("/screenings").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get("/screenings")
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= settings.RELAIS_API_RATE_WINDOW_SECONDS
    assert Api(keys["b_both"]).get("/screenings").status_code == 200


def test_a_new_window_starts_a_new_count_and_forgets_old_windows(keys: Keys, settings: Any) -> None:
    settings.RELAIS_API_RATE_LIMIT = 1
    key_id = keys.records["a_read"].pk
    assert ratelimit.hit(key_id, now=1_000_000.0).allowed
    assert not ratelimit.hit(key_id, now=1_000_001.0).allowed
    assert ratelimit.hit(key_id, now=1_000_000.0 + 86_400 * 2).allowed
    assert ApiRateCounter.objects.filter(key_id=key_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_counting_outside_a_transaction_commits_each_hit_and_refuses_beyond_the_limit(
    settings: Any,
) -> None:
    """A request's authentication runs outside any transaction (one round trip on
    PostgreSQL): each hit is committed at once and seen by the next."""
    settings.RELAIS_API_RATE_LIMIT = 2
    pharmacy = Pharmacy.objects.create(name="Pharmacie du Port", finess="690000013")
    key, _plaintext = create_api_key(SYSTEM, pharmacy.pk, "LGO", ["screenings:read"])
    assert not connection.in_atomic_block

    verdicts = [ratelimit.hit(key.pk, now=2_000_000.0 + i) for i in range(3)]

    assert [v.allowed for v in verdicts] == [True, True, False]
    assert [v.remaining for v in verdicts] == [1, 0, 0]
    assert ApiRateCounter.objects.get(key_id=key.pk).hits == 3
