"""Demo data: two pharmacies with their staff, an operator and an auditor.

Passwords are random and new at every run (they are printed once, marked demo-only); running
it again resets the same accounts rather than creating new ones.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from relais.access.actors import SYSTEM, Actor
from relais.access.roles import PharmacyRole, PlatformRole
from relais.accounts.demo import enrol_demo_totp
from relais.accounts.models import User
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.pharmacies.apikeys.services import create_api_key, revoke_api_key
from relais.pharmacies.models import ApiKey, Membership, Pharmacy


@dataclass(frozen=True)
class DemoPharmacy:
    key: str
    name: str
    finess: str
    address_line: str
    postal_code: str
    city: str


DEMO_PHARMACIES = (
    DemoPharmacy(
        "arcades", "Pharmacie des Arcades", "690000013", "12 rue de la République", "69002", "Lyon"
    ),
    DemoPharmacy(
        "port", "Pharmacie du Vieux-Port", "130000029", "3 quai du Port", "13002", "Marseille"
    ),
)
DEMO_ROLES = (PharmacyRole.OWNER, PharmacyRole.PHARMACIST, PharmacyRole.TECHNICIAN)
DEMO_DOMAIN = "demo.relais.localhost"
DEMO_KEY_NAME = "Démo (logiciel de pharmacie)"


def demo_password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def _account(email: str, full_name: str, platform_role: str = "") -> tuple[User, str]:
    password = demo_password()
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "platform_role": platform_role}
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    return user, password


def _pharmacy_with_staff(spec: DemoPharmacy) -> dict[str, Any]:
    pharmacy, _ = Pharmacy.objects.update_or_create(
        finess=spec.finess,
        defaults={
            "name": spec.name,
            "address_line": spec.address_line,
            "postal_code": spec.postal_code,
            "city": spec.city,
        },
    )
    users = []
    for role in DEMO_ROLES:
        email = f"{role.value}@{spec.key}.{DEMO_DOMAIN}"
        user, password = _account(email, f"Demo {role.label} {spec.name}")
        Membership.objects.update_or_create(
            user=user, pharmacy=pharmacy, defaults={"role": role, "is_active": True}
        )
        users.append(
            {
                "role": role.value,
                "email": email,
                "password": password,
                "totp_secret": enrol_demo_totp(user),
            }
        )
    return {
        "id": pharmacy.pk,
        "name": pharmacy.name,
        "finess": pharmacy.finess,
        "api_key": _demo_api_key(pharmacy.pk),
        "users": users,
    }


def _demo_api_key(pharmacy_id: int) -> str:
    """A fresh key with both scopes (printed once, demo-only); earlier demo keys are revoked."""
    stale = ApiKey.objects.filter(pharmacy_id=pharmacy_id, name=DEMO_KEY_NAME, revoked_at=None)
    for key_id in stale.values_list("pk", flat=True):
        revoke_api_key(SYSTEM, key_id)
    _key, plaintext = create_api_key(
        SYSTEM, pharmacy_id, DEMO_KEY_NAME, ["screenings:write", "screenings:read"]
    )
    return plaintext


def _platform_account(role: PlatformRole) -> dict[str, Any]:
    email = f"{role.value}@{DEMO_DOMAIN}"
    user, password = _account(email, f"Demo {role.label}", role)
    return {"email": email, "password": password, "totp_secret": enrol_demo_totp(user)}


@service
def create_demo_data(actor: Actor = SYSTEM, *, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "base_url": base_url,
        "pharmacies": [_pharmacy_with_staff(spec) for spec in DEMO_PHARMACIES],
        "operator": _platform_account(PlatformRole.OPERATOR),
        "auditor": _platform_account(PlatformRole.AUDITOR),
    }
    record_event(
        AuditAction.DEMO_DATA_CREATED,
        actor=actor,
        object_type="pharmacy",
        object_ids=[p["id"] for p in data["pharmacies"]],
    )
    return data
