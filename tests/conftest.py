"""Shared personas: two pharmacies (owner, pharmacist, technician each), an operator, an
auditor and an anonymous visitor. Every access rule is tested from the other pharmacy too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client

from relais.access.actors import Actor, actor_for_user
from relais.access.roles import PharmacyRole, PlatformRole
from relais.accounts.models import User
from relais.pharmacies.models import Membership, Pharmacy

PERSONA_PASSWORD = "correct horse battery staple 42"


@dataclass
class Persona:
    name: str
    user: User | None
    pharmacy: Pharmacy | None = None
    role: str = ""

    @property
    def actor(self) -> Actor:
        from relais.access.actors import ANONYMOUS

        return actor_for_user(self.user) if self.user else ANONYMOUS

    def client(self) -> Client:
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        return client


@dataclass
class Personas:
    pharmacy_a: Pharmacy
    pharmacy_b: Pharmacy
    by_name: dict[str, Persona] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Persona:
        return self.by_name[name]

    def all(self) -> list[Persona]:
        return list(self.by_name.values())


def _user(email: str, platform_role: str = "") -> User:
    return User.objects.create_user(
        email,
        PERSONA_PASSWORD,
        full_name=email.split("@", maxsplit=1)[0],
        platform_role=platform_role,
    )


def make_personas() -> Personas:
    pharmacy_a = Pharmacy.objects.create(name="Pharmacie A", finess="690000013")
    pharmacy_b = Pharmacy.objects.create(name="Pharmacie B", finess="130000029")
    personas = Personas(pharmacy_a, pharmacy_b)
    for letter, pharmacy in (("a", pharmacy_a), ("b", pharmacy_b)):
        for role in PharmacyRole:
            user = _user(f"{role.value}.{letter}@example.test")
            Membership.objects.create(user=user, pharmacy=pharmacy, role=role)
            name = f"{role.value}_{letter}"
            personas.by_name[name] = Persona(name, user, pharmacy, role.value)
    personas.by_name["operator"] = Persona("operator", _user("op@example.test", "operator"))
    personas.by_name["auditor"] = Persona("auditor", _user("audit@example.test", "auditor"))
    personas.by_name["anonymous"] = Persona("anonymous", None)
    return personas


@pytest.fixture
def personas(db: None) -> Iterator[Personas]:
    yield make_personas()


__all__ = ["PERSONA_PASSWORD", "Persona", "Personas", "PlatformRole"]
