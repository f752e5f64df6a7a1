"""The circuit breaker of a destination, kept in the database so every worker shares it.

closed → (K consecutive failed requests) → open for a cool-down → half-open: exactly one
worker wins a compare-and-set and probes with a single message; success closes the
circuit, failure opens it again. A request *answered* by the platform counts as success
even if it rejected messages: the platform is up. A probe whose worker died is taken over
once its own cool-down has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings

from relais.relay.models import Circuit, CircuitState

Admission = Literal["send", "probe", "wait"]


@dataclass(frozen=True, slots=True)
class CircuitSettings:
    threshold: int
    cooldown_seconds: float

    @classmethod
    def from_settings(cls) -> CircuitSettings:
        return cls(
            threshold=settings.RELAIS_RELAY_CIRCUIT_THRESHOLD,
            cooldown_seconds=settings.RELAIS_RELAY_CIRCUIT_COOLDOWN_MS / 1000,
        )


def admit(destination: str, now: datetime, config: CircuitSettings) -> Admission:
    """May this worker send now: normally, as the one probe, or not at all?"""
    row = Circuit.objects.filter(destination=destination).values("state", "open_until").first()
    if row is None or row["state"] == CircuitState.CLOSED:
        return "send"
    if row["open_until"] is not None and row["open_until"] > now:
        return "wait"
    won = Circuit.objects.filter(
        destination=destination, state=row["state"], open_until=row["open_until"]
    ).update(
        state=CircuitState.HALF_OPEN,
        open_until=now + timedelta(seconds=config.cooldown_seconds),
        updated_at=now,
    )
    return "probe" if won else "wait"


def record_success(destination: str, now: datetime) -> None:
    """The platform answered: close the circuit (a no-op write-free check when closed)."""
    Circuit.objects.filter(destination=destination).exclude(
        state=CircuitState.CLOSED, consecutive_failures=0
    ).update(state=CircuitState.CLOSED, consecutive_failures=0, open_until=None, updated_at=now)


def record_failure(
    destination: str, now: datetime, config: CircuitSettings, retry_after: float | None
) -> str:
    """Count a failed request; open the circuit at the threshold or after a failed probe."""
    circuit, _ = Circuit.objects.select_for_update().get_or_create(destination=destination)
    circuit.consecutive_failures += 1
    if circuit.state == CircuitState.HALF_OPEN or circuit.consecutive_failures >= config.threshold:
        pause = max(config.cooldown_seconds, retry_after or 0.0)
        circuit.state = CircuitState.OPEN
        circuit.open_until = now + timedelta(seconds=pause)
    circuit.updated_at = now
    circuit.save()
    return str(circuit.state)


def state_of(destination: str, now: datetime) -> dict[str, object]:
    """What the operator sees: state, failures, seconds until a probe may run."""
    circuit = Circuit.objects.filter(destination=destination).first()
    if circuit is None:
        return {"state": CircuitState.CLOSED.value, "consecutive_failures": 0, "retry_in": 0.0}
    retry_in = 0.0
    if circuit.open_until is not None:
        retry_in = max(0.0, (circuit.open_until - now).total_seconds())
    return {
        "state": circuit.state,
        "consecutive_failures": circuit.consecutive_failures,
        "retry_in": round(retry_in, 1),
    }
