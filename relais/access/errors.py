from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relais.access.actors import Actor
    from relais.access.policy import Action


class AccessDeniedError(Exception):
    """The actor may not perform the action (on that pharmacy)."""

    def __init__(self, actor: Actor, action: Action, pharmacy_id: int | None) -> None:
        super().__init__(f"{action} denied")
        self.actor = actor
        self.action = action
        self.pharmacy_id = pharmacy_id
