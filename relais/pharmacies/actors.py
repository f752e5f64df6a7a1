"""Who is acting, built from what the pharmacies app owns: memberships and API keys."""

from __future__ import annotations

from django.http import HttpRequest

from relais.access.actors import ANONYMOUS, Actor
from relais.access.policy import API_KEY_SCOPES
from relais.access.roles import PharmacyRole, PlatformRole
from relais.pharmacies.models import Membership, PharmacyStatus


def actor_for_user(user: object) -> Actor:
    """The actor of an authenticated staff user, from their active memberships."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    user_id: int = user.pk  # type: ignore[attr-defined]
    rows = Membership.objects.filter(
        user_id=user_id, is_active=True, pharmacy__status=PharmacyStatus.ACTIVE
    ).values_list("pharmacy_id", "role")
    return Actor(
        kind="user",
        id=str(user_id),
        platform_role=getattr(user, "platform_role", PlatformRole.NONE),
        memberships={pharmacy_id: PharmacyRole(role) for pharmacy_id, role in rows},
    )


def actor_for_api_key(key_id: str, pharmacy_id: int, scopes: frozenset[str]) -> Actor:
    """An API key acts for one pharmacy only, and only for what its scopes allow."""
    allowed = frozenset().union(*(API_KEY_SCOPES.get(scope, frozenset()) for scope in scopes))
    return Actor(
        kind="api_key",
        id=key_id,
        memberships={pharmacy_id: PharmacyRole.PHARMACIST},
        allowed_actions=frozenset(str(a) for a in allowed),
    )


def request_actor(request: HttpRequest) -> Actor:
    """The request's actor, built once: the API key the edge admitted, else the signed-in
    user (anonymous without one)."""
    actor = getattr(request, "_relais_actor", None)
    if actor is None:
        actor = actor_for_user(request.user) if hasattr(request, "user") else ANONYMOUS
        request._relais_actor = actor  # type: ignore[attr-defined]
    return actor
