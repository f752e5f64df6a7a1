"""The state a scenario receives: the stack, the mode, the machine limits, shared counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.figures import Figure, Limit
from bench.stack import Stack


class NotReadyError(RuntimeError):
    """Raised by a scenario that finds, once running, that a piece it needs is not built yet."""


@dataclass
class RunContext:
    """Passed to every scenario's ``run``; ``shared`` carries facts between scenarios."""

    stack: Stack
    quick: bool
    limits: dict[str, Limit]
    shared: dict[str, Any] = field(default_factory=dict)

    def limit(self, key: str) -> Limit | None:
        return self.limits.get(key)

    def scaled(self, quick: int, full: int) -> int:
        return quick if self.quick else full


class Scenario(Protocol):
    """A scenario module's interface."""

    TITLE: str

    def available(self) -> str | None: ...

    def run(self, ctx: RunContext, quick: bool) -> list[Figure]: ...
