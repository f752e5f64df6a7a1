"""Shared personas: two pharmacies (owner, pharmacist, technician each), an operator, an
auditor and an anonymous visitor. Every access rule is tested from the other pharmacy too."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client

from relais.access.actors import ANONYMOUS, Actor
from relais.access.roles import PharmacyRole, PlatformRole
from relais.accounts.models import User
from relais.pharmacies.actors import actor_for_user
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
        return actor_for_user(self.user) if self.user else ANONYMOUS

    def client(self) -> Client:
        """A client signed in *with a second factor* (MFA is mandatory for every account)."""
        from relais.accounts.testing import signed_in_client

        return signed_in_client(self.user) if self.user is not None else Client()


@dataclass
class Personas:
    pharmacy_a: Pharmacy
    pharmacy_b: Pharmacy
    by_name: dict[str, Persona] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Persona:
        return self.by_name[name]

    def all(self) -> list[Persona]:
        return list(self.by_name.values())


@functools.cache
def persona_password_hash() -> str:
    """One real Argon2id hash of the personas' password, computed once per test session:
    hashing it for each of the eight personas of every test would cost seconds per test."""
    from django.contrib.auth.hashers import make_password

    return make_password(PERSONA_PASSWORD)


def _user(email: str, platform_role: str = "") -> User:
    return User.objects.create(
        email=email,
        password=persona_password_hash(),
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


@pytest.fixture(autouse=True)
def _allow_flushing_the_audit_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests that commit end with Django flushing every table, which the append-only audit
    triggers refuse. Like the retention purge, the flush is let through by a purge permit,
    which the flush itself then removes."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from relais.audit.models import AuditEvent, AuditPurgePermit

    # Empty the log under a permit and leave the permit for the flush: whatever order the
    # flush takes the tables in, no protected row is left to refuse it, and PostgreSQL's
    # statement-level TRUNCATE trigger still sees the permit.
    AuditPurgePermit.objects.create()
    AuditEvent.objects.all().delete()


@pytest.fixture(autouse=True)
def keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Every test gets its own keyring: no key leaks from one test to another."""
    from relais.screening.valuesets import clear_device_cache
    from relais.vault.blind import clear_blind_index_cache
    from relais.vault.keystore import clear_key_cache
    from relais.vault.providers import FileKeyProvider, reset_provider

    provider = FileKeyProvider(tmp_path_factory.mktemp("keys") / "keyring.json")
    provider.initialise()
    reset_provider(provider)
    clear_key_cache()
    clear_blind_index_cache()
    clear_device_cache()
    yield provider
    reset_provider(None)
    clear_key_cache()
    clear_blind_index_cache()


@pytest.fixture
def devices(db: None) -> None:
    """The EU rapid antigen test list, as `relais migrate` leaves it in every database."""
    from relais.screening.models.valuesets import DEVICE_VALUE_SET, ValueSetEntry

    assert ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET, active=True).count() == 86
