"""The simulator's live state: fault settings, dice, acknowledgements and counters."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from relais.relay.messages.parsed import ParsedMessage
from relais.sidep_sim.faults import FaultConfig, FaultDice
from relais.sidep_sim.store import Acknowledgement, AcknowledgementStore
from relais.sidep_sim.validation import rejection_reasons

FAULT_COUNTERS = (
    "outage",
    "error",
    "timeout",
    "drop",
    "drop_after_store",
    "reject",
    "latency",
    "ack_delay",
)


def new_reference() -> str:
    """A platform reference as SI-DEP would hand back: opaque, short, unique."""
    return f"SIDEP-{uuid.uuid4().hex[:12].upper()}"


@dataclass(slots=True)
class SimulatorState:
    """Everything one simulator process knows; `reset()` returns it to its start."""

    initial_faults: FaultConfig
    store: AcknowledgementStore
    seed: int | None = None
    faults: FaultConfig = field(init=False)
    dice: FaultDice = field(init=False)
    counters: Counter[str] = field(default_factory=Counter)
    fault_counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.faults = self.initial_faults
        self.dice = FaultDice(random.Random(self.seed))  # noqa: S311 - fault dice, not crypto

    def reset(self) -> None:
        """Forget acknowledgements and counters; restore the start-up faults and seed."""
        self.store.clear()
        self.counters.clear()
        self.fault_counts.clear()
        self.__post_init__()

    def acknowledge(self, messages: list[ParsedMessage]) -> list[Acknowledgement]:
        """One acknowledgement per message, in order; new ones are stored, durably first."""
        now = datetime.now(UTC)
        answered: dict[str, Acknowledgement] = {}
        new: list[Acknowledgement] = []
        acks = []
        for message in messages:
            previous = answered.get(message.message_id) or self.store.get(message.message_id)
            if previous is not None:
                self.counters["duplicate_deliveries"] += 1
                acks.append(replace(previous, duplicate=True))
                continue
            ack = self._judge(message, now)
            answered[message.message_id] = ack
            new.append(ack)
            acks.append(ack)
        self.store.add_all(new)
        self.counters["deliveries_received"] += len(messages)
        self.counters["rejections"] += sum(1 for ack in new if ack.outcome == "rejected")
        return acks

    def _judge(self, message: ParsedMessage, now: datetime) -> Acknowledgement:
        reasons = rejection_reasons(message, now)
        if not reasons and self.dice.reject(self.faults):
            self.fault_counts["reject"] += 1
            reasons = ["simulated rejection"]
        if reasons:
            return Acknowledgement(message.message_id, "rejected", None, tuple(reasons))
        return Acknowledgement(message.message_id, "accepted", new_reference())

    def stats(self) -> dict[str, Any]:
        """The GET /sim/stats document."""
        names = ("requests_received", "deliveries_received", "duplicate_deliveries")
        data: dict[str, Any] = {name: self.counters[name] for name in names}
        data["rejections"] = self.counters["rejections"]
        data["bad_requests"] = self.counters["bad_requests"]
        data["unique_accepted"] = self.store.count("accepted")
        data["unique_rejected"] = self.store.count("rejected")
        data["faults"] = {name: self.fault_counts[name] for name in FAULT_COUNTERS}
        return data
