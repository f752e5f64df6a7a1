"""Actors built from what the pharmacies app owns: memberships and API keys."""

from __future__ import annotations

from pathlib import Path

from django.test import RequestFactory

import relais.http
from relais.access.actors import ANONYMOUS, SYSTEM
from relais.access.policy import Action, can
from relais.pharmacies import actors
from relais.pharmacies.actors import actor_for_api_key, actor_for_user, request_actor
from tests.conftest import Personas


def test_an_api_key_reaches_only_its_pharmacy_and_its_scopes() -> None:
    actor = actor_for_api_key("k1", 7, frozenset({"screenings:read"}))
    assert can(actor, Action.SCREENING_READ, 7)
    assert not can(actor, Action.SCREENING_READ, 8)
    assert not can(actor, Action.SCREENING_CREATE, 7)
    assert not can(actor, Action.STAFF_MANAGE, 7)


def test_a_key_with_an_unknown_scope_may_do_nothing() -> None:
    actor = actor_for_api_key("k1", 7, frozenset({"screenings:delete"}))
    assert not any(can(actor, action, 7) for action in Action)


def test_a_user_acts_in_the_active_pharmacies_of_their_active_memberships(
    personas: Personas,
) -> None:
    owner_a = personas["owner_a"]
    assert actor_for_user(owner_a.user).memberships == {personas.pharmacy_a.pk: "owner"}
    personas.pharmacy_a.status = "suspended"
    personas.pharmacy_a.save()
    assert actor_for_user(owner_a.user).memberships == {}


def test_a_request_without_a_signed_in_user_acts_as_no_one(personas: Personas) -> None:
    request = RequestFactory().get("/")
    assert request_actor(request) is ANONYMOUS


def test_the_system_actor_is_never_built_from_a_request() -> None:
    sources = [Path(actors.__file__)]
    sources += list(Path(relais.http.__file__).parent.glob("*.py"))
    for source in sources:
        assert "SYSTEM" not in source.read_text(encoding="utf-8"), source
    assert SYSTEM.kind == "system"
