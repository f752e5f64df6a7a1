"""The purge's access rule: only processes started from the operator's shell may run it."""

from __future__ import annotations

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action


def require_system(actor: Actor) -> None:
    """Purges and warnings run from the worker or the CLI, never from a request."""
    if actor.kind != "system":
        raise AccessDeniedError(actor, Action.PHARMACY_MANAGE, None)
