"""The vault's one door to the audit log (``relais.audit.events.record_event``).

Key operations map onto the audit vocabulary's ``KEY_ROTATED`` / ``KEY_DESTROYED`` with the
precise operation in the details; events carry key ids and counts, never key material.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DetailValue = str | int | float | bool | None


def audit(
    operation: str,
    *,
    actor: Any = None,
    pharmacy_id: int | None = None,
    object_ids: Iterable[object] = (),
    details: dict[str, DetailValue] | None = None,
    destroyed: bool = False,
) -> None:
    """Record a key-management event in the caller's transaction."""
    from relais.audit.actions import AuditAction
    from relais.audit.events import record_event

    record_event(
        AuditAction.KEY_DESTROYED if destroyed else AuditAction.KEY_ROTATED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="vault.DataKey",
        object_ids=[str(object_id) for object_id in object_ids],
        details={"operation": operation, **(details or {})},
    )
