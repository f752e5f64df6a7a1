"""The shared circuit breaker: open after K failures, one probe after the cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.relay import circuit
from relais.relay.circuit import CircuitSettings
from relais.relay.models import Circuit

pytestmark = pytest.mark.django_db
CONFIG = CircuitSettings(threshold=3, cooldown_seconds=30)


def _fail(times: int, retry_after: float | None = None) -> str:
    state = ""
    for _ in range(times):
        state = circuit.record_failure("sidep", timezone.now(), CONFIG, retry_after)
    return state


def test_a_closed_circuit_lets_every_worker_send() -> None:
    assert circuit.admit("sidep", timezone.now(), CONFIG) == "send"
    assert _fail(2) == "closed"
    assert circuit.admit("sidep", timezone.now(), CONFIG) == "send"


def test_the_circuit_opens_after_k_consecutive_failures_and_stops_sending() -> None:
    assert _fail(3) == "open"
    assert circuit.admit("sidep", timezone.now(), CONFIG) == "wait"
    assert circuit.state_of("sidep", timezone.now())["state"] == "open"


def test_a_success_resets_the_count_of_failures() -> None:
    _fail(2)
    circuit.record_success("sidep", timezone.now())
    assert _fail(2) == "closed"


def test_after_the_cool_down_exactly_one_worker_probes() -> None:
    _fail(3)
    later = timezone.now() + timedelta(seconds=31)

    assert circuit.admit("sidep", later, CONFIG) == "probe"
    assert circuit.admit("sidep", later, CONFIG) == "wait"
    assert Circuit.objects.get().state == "half_open"


def test_a_successful_probe_closes_the_circuit() -> None:
    _fail(3)
    later = timezone.now() + timedelta(seconds=31)
    circuit.admit("sidep", later, CONFIG)
    circuit.record_success("sidep", later)
    assert circuit.admit("sidep", later, CONFIG) == "send"


def test_a_failed_probe_opens_the_circuit_again_at_once() -> None:
    _fail(3)
    later = timezone.now() + timedelta(seconds=31)
    circuit.admit("sidep", later, CONFIG)
    assert circuit.record_failure("sidep", later, CONFIG, None) == "open"
    assert circuit.admit("sidep", later + timedelta(seconds=1), CONFIG) == "wait"


def test_a_probe_whose_worker_died_is_taken_over_after_its_cool_down() -> None:
    _fail(3)
    later = timezone.now() + timedelta(seconds=31)
    assert circuit.admit("sidep", later, CONFIG) == "probe"
    assert circuit.admit("sidep", later + timedelta(seconds=31), CONFIG) == "probe"


def test_a_long_retry_after_keeps_the_circuit_open_longer_than_the_cool_down() -> None:
    _fail(3, retry_after=300)
    assert circuit.admit("sidep", timezone.now() + timedelta(seconds=60), CONFIG) == "wait"
    assert circuit.state_of("sidep", timezone.now())["retry_in"] > 250
