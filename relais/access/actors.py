"""Who is acting: built once per request (or per API call, or for a system job)."""

from __future__ import annotations

from dataclasses import dataclass, field

from relais.access.roles import PharmacyRole, PlatformRole


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


def actor_for_user(user: object) -> Actor:
    """The actor of an authenticated staff user, from their active memberships."""
    from relais.pharmacies.models import Membership

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    user_id: int = user.pk  # type: ignore[attr-defined]
    rows = Membership.objects.filter(
        user_id=user_id, is_active=True, pharmacy__status="active"
    ).values_list("pharmacy_id", "role")
    return Actor(
        kind="user",
        id=str(user_id),
        platform_role=getattr(user, "platform_role", PlatformRole.NONE),
        memberships={pharmacy_id: PharmacyRole(role) for pharmacy_id, role in rows},
    )


def actor_for_api_key(key_id: str, pharmacy_id: int, scopes: frozenset[str]) -> Actor:
    """An API key acts for one pharmacy only, and only for what its scopes allow."""
    from relais.access.policy import API_KEY_SCOPES

    allowed = frozenset().union(*(API_KEY_SCOPES.get(scope, frozenset()) for scope in scopes))
    return Actor(
        kind="api_key",
        id=key_id,
        memberships={pharmacy_id: PharmacyRole.PHARMACIST},
        allowed_actions=frozenset(str(a) for a in allowed),
    )
