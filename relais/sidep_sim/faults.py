"""Fault injection: the ways a national platform misbehaves, each with a probability.

One seedable `random.Random` draws every roll in a fixed order, so a test with a seed sees
the same faults on every run. `fail_after_store` is the hard case for exactly-once: the
platform stores the messages and then drops the connection, so the client must retry and
the platform must recognise the redelivery.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

Fault = Literal["outage", "error", "timeout", "drop", "drop_after_store"]


class FaultConfigError(ValueError):
    """A fault configuration (CLI or control endpoint) is not acceptable."""


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """Fault settings; rates are probabilities per request (reject_rate: per message)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    retry_after_seconds: int | None = None
    timeout_rate: float = 0.0
    timeout_seconds: float = 30.0
    drop_rate: float = 0.0
    fail_after_store: float = 0.0
    reject_rate: float = 0.0
    outage_until: float | None = None
    ack_delay_ms: int = 0

    def __post_init__(self) -> None:
        for name in ("error_rate", "timeout_rate", "drop_rate", "fail_after_store", "reject_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise FaultConfigError(f"{name} must be between 0 and 1")
        for name in ("latency_ms", "ack_delay_ms", "timeout_seconds"):
            if getattr(self, name) < 0:
                raise FaultConfigError(f"{name} must not be negative")

    def updated(self, changes: dict[str, Any]) -> FaultConfig:
        """A copy with `changes` applied; `outage_seconds` starts an outage from now."""
        changes = dict(changes)
        known = {f.name for f in fields(self)} | {"outage_seconds"}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise FaultConfigError(f"unknown fault settings: {', '.join(unknown)}")
        outage_seconds = changes.pop("outage_seconds", None)
        if outage_seconds is not None:
            changes["outage_until"] = time.time() + float(outage_seconds)
        try:
            return replace(self, **changes)
        except TypeError as error:
            raise FaultConfigError(str(error)) from error

    def as_json(self) -> dict[str, Any]:
        """The settings, plus how many seconds of outage remain."""
        data = asdict(self)
        data["outage_remaining_seconds"] = self.outage_remaining()
        return data

    def outage_remaining(self) -> float:
        """Seconds left in the current outage, 0 when there is none."""
        if self.outage_until is None:
            return 0.0
        return max(0.0, self.outage_until - time.time())


@dataclass(slots=True)
class FaultDice:
    """Rolls the per-request faults from one seeded generator (deterministic in tests)."""

    rng: random.Random = field(default_factory=random.Random)

    def request_fault(self, config: FaultConfig) -> Fault | None:
        """Which fault, if any, this request suffers, in the order a client would notice."""
        if config.outage_remaining() > 0:
            return "outage"
        if self._roll(config.error_rate):
            return "error"
        if self._roll(config.timeout_rate):
            return "timeout"
        if self._roll(config.drop_rate):
            return "drop_after_store" if self._roll(config.fail_after_store) else "drop"
        return None

    def reject(self, config: FaultConfig) -> bool:
        """Whether to reject one message with "simulated rejection"."""
        return self._roll(config.reject_rate)

    def _roll(self, probability: float) -> bool:
        # No draw at probability 0, so enabling one fault does not shift another's sequence.
        return probability > 0 and self.rng.random() < probability
