"""The scenarios, in the order they run (API scenarios queue the records the relay drains)."""

from __future__ import annotations

from types import ModuleType

from bench.scenarios import api_batch, api_single, audit, crypto, login, relay, rotation


def all_scenarios() -> list[ModuleType]:
    return [crypto, login, audit, api_single, api_batch, rotation, relay]
