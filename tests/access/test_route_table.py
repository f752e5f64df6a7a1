"""Guard: every route is in the permission table, and the table holds for every persona."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from relais.access.policy import can_anywhere
from relais.access.routes import ROUTES, ApiKeyRoute, Public, Requires, Rule, SignedIn
from tests.conftest import Persona, Personas

# Sample URL arguments for routes that take some (filled as routes with parameters land).
SAMPLE_KWARGS: dict[str, dict[str, str]] = {
    "screening:prereg_public": {"slug": "sample-link-never-issued"},
    "mfa_remove_webauthn": {"pk": "1"},
    "mfa_edit_webauthn": {"pk": "1"},
    "invitation_open": {"token": "not-a-real-invitation-token-0123456789abcdef"},
    "web:screening": {"screening_id": "00000000-0000-4000-8000-000000000000"},
    "web:correct": {"screening_id": "00000000-0000-4000-8000-000000000000"},
    "web:cancel": {"screening_id": "00000000-0000-4000-8000-000000000000"},
    "web:replay": {"transmission_id": "1"},
    "web:deactivate": {"membership_id": "1"},
    "web:revoke_key": {"key_id": "1"},
    "billing:statement": {"statement_id": "1"},
    "billing:download": {"statement_id": "1", "file_format": "pdf"},
    "billing:operator_statement": {"statement_id": "1"},
    "billing:operator_download": {"statement_id": "1", "file_format": "pdf"},
    "billing:operator_issue": {"statement_id": "1"},
    "billing:operator_paid": {"statement_id": "1"},
    "billing:operator_credit": {"statement_id": "1"},
}


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)


def all_routes() -> list[tuple[str, str]]:
    return [
        (name, pattern) for name, pattern in _walk(get_resolver()) if not name.startswith("djdt")
    ]


def test_every_route_is_in_the_permission_table() -> None:
    missing = [
        f"{name or '(unnamed)'} → /{pattern}"
        for name, pattern in all_routes()
        if name not in ROUTES
    ]
    assert missing == []


def test_the_permission_table_names_no_route_that_does_not_exist() -> None:
    names = {name for name, _ in all_routes()}
    assert set(ROUTES) - names == set()


def expected_allowed(rule: Rule, persona: Persona) -> bool:
    if isinstance(rule, Public):
        return True
    if persona.user is None:
        return False
    if isinstance(rule, SignedIn):
        return True
    if isinstance(rule, Requires):
        return can_anywhere(persona.actor, rule.action)
    return False


def _url(name: str, pattern: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=SAMPLE_KWARGS.get(name))


@pytest.mark.parametrize("route", [name for name, _ in all_routes()])
def test_every_route_answers_each_persona_as_the_table_says(personas: Personas, route: str) -> None:
    rule = ROUTES[route]
    if isinstance(rule, ApiKeyRoute):
        pytest.skip("API routes are walked with API keys by the API's own table test")
    url = _url(route, "")
    for persona in personas.all():
        response = persona.client().get(url)
        allowed = expected_allowed(rule, persona)
        refused = response.status_code == 403 or (
            response.status_code == 302 and "/login/" in response["Location"]
        )
        assert refused != allowed, (route, persona.name, response.status_code)


def test_a_route_missing_from_the_table_is_refused(personas: Personas) -> None:
    from relais.access import routes

    saved = routes.ROUTES.pop("home")
    try:
        response = personas["owner_a"].client().get("/")
        assert response.status_code == 404
    finally:
        routes.ROUTES["home"] = saved
