"""Every route of Relais and what it requires. A route missing here is refused (404).

A guard test walks every URL pattern as every persona and checks this table, so adding a
view without deciding who may reach it fails the suite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from relais.access.policy import Action


@dataclass(frozen=True, slots=True)
class Public:
    """Reachable without signing in (health, login, the patient's pre-registration)."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Any signed-in account, whatever its role (home, sign-out, own account settings)."""


@dataclass(frozen=True, slots=True)
class Requires:
    """A signed-in account allowed to perform ``action`` (somewhere, for pharmacy actions).

    Which pharmacy and which record are checked again by the service with the object at hand.
    """

    action: Action


@dataclass(frozen=True, slots=True)
class ApiKeyRoute:
    """An API path: authenticated by an API key (Bearer), each of its methods checked
    against the key's scopes by the action it performs. A method not listed is refused.

    Per method, because one API path serves several operations (`GET /screenings` reads,
    `POST /screenings` records) under one URL pattern.
    """

    actions: Mapping[str, Action]  # HTTP method → the action it performs

    def action_for(self, method: str) -> Action | None:
        return self.actions.get(method)


Rule = Public | SignedIn | Requires | ApiKeyRoute

ROUTES: dict[str, Rule] = {
    "healthz": Public(),
    "readyz": Public(),
    "logout": SignedIn(),
    "home": SignedIn(),
}


def register_routes(rules: dict[str, Rule]) -> None:
    """Let an app add its routes to the table (called from its urls module)."""
    duplicates = set(rules) & set(ROUTES)
    if duplicates:
        raise ValueError(f"routes declared twice: {sorted(duplicates)}")
    ROUTES.update(rules)
