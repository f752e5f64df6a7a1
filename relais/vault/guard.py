"""The personal-data guard: which model fields look personal, and the reviewed exceptions.

``unprotected_personal_fields()`` lists every field of an installed model whose name
matches the personal-data vocabulary but is neither an ``EncryptedField`` nor a blind
index, nor allow-listed here with a reason. The guard test fails on any of them.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from relais.vault.blind import BlindIndexField
from relais.vault.fields import EncryptedField

PERSONAL_VOCABULARY = re.compile(
    r"(^|_)(name|first_names?|last_name|birth|nir|email|phone|address|result|symptoms?"
    r"|onset|notes?|secret|totp)(_|$|s$)"
)

# "app_label.Model.field": reason. Every entry is a reviewed decision, not a convenience.
ALLOWED: dict[str, str] = {
    "accounts.User.email": "staff login identifier: needed in clear to sign in and to invite",
    "accounts.User.full_name": "staff display name (professional, not patient data)",
    "pharmacies.Pharmacy.name": "a pharmacy's trade name is public (FINESS directory)",
    "pharmacies.Pharmacy.address_line": "a pharmacy's address is public (FINESS directory)",
    "auth.Group.name": "Django permission group name, no personal data",
    "auth.Permission.name": "Django permission label, no personal data",
    "contenttypes.ContentType.name": "model name, no personal data",
    "account.EmailAddress.email": "allauth's copy of the staff login e-mail (see User.email)",
    "account.EmailConfirmation.email_address": "a link to the row above, no value of its own",
    "pharmacies.ApiKey.name": "the label an owner gives a pharmacy-software key",
    "billing.CreditNoteLine.credit_note": "a link to a credit note ('note' is not free text)",
}
ALLOWED_APPS = {"admin", "sessions", "vault", "audit"}  # no personal-data columns by design


def looks_personal(field_name: str) -> bool:
    return bool(PERSONAL_VOCABULARY.search(field_name))


def is_protected(field: models.Field) -> bool:  # type: ignore[type-arg]
    return isinstance(field, EncryptedField | BlindIndexField)


def unprotected_personal_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in ALLOWED_APPS:
            continue
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if looks_personal(field.name) and not is_protected(field) and label not in ALLOWED:
                found.append(label)
    return sorted(found)
