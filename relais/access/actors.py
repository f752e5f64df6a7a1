"""Who is acting: a staff user, an API key, the system. Built by the apps that own them
(`relais.pharmacies.actors`); decided on here, by the permission table."""

from __future__ import annotations

from dataclasses import dataclass, field

from relais.access.roles import PlatformRole


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str  # "user" | "api_key" | "system" | "anonymous"
    id: str
    platform_role: str = PlatformRole.NONE
    memberships: dict[int, str] = field(default_factory=dict)  # pharmacy id → PharmacyRole
    # For API keys: the actions their scopes allow; None for people (their roles decide).
    allowed_actions: frozenset[str] | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"

    def role_in(self, pharmacy_id: int) -> str | None:
        return self.memberships.get(pharmacy_id)


ANONYMOUS = Actor(kind="anonymous", id="-")
SYSTEM = Actor(kind="system", id="relais")
