"""The relay app: registers the outbox writer with the screening services."""

from __future__ import annotations

from django.apps import AppConfig


class RelayConfig(AppConfig):
    name = "relais.relay"
    label = "relay"
    verbose_name = "Relay to SI-DEP"

    def ready(self) -> None:
        # The writer runs inside the screening service's transaction, so a committed
        # version always has its transmission row (DESIGN.md §4, relay semantics).
        from relais.relay.outbox import enqueue_versions
        from relais.screening.hooks import on_versions_recorded

        on_versions_recorded(enqueue_versions)
