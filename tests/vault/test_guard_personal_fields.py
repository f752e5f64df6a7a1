"""Guard: every personal-data field of every installed model is encrypted (or reviewed)."""

from __future__ import annotations

import pytest

from relais.vault.fields import models_with_encrypted_fields
from relais.vault.guard import ALLOWED, looks_personal, unprotected_personal_fields


def test_every_personal_looking_field_is_encrypted_or_allow_listed_with_a_reason() -> None:
    assert unprotected_personal_fields() == []


def test_every_allow_listed_field_has_a_reason() -> None:
    assert all(reason.strip() for reason in ALLOWED.values())


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("last_name", True),
        ("first_names", True),
        ("birth_date", True),
        ("nir", True),
        ("email", True),
        ("phone_number", True),
        ("symptoms", True),
        ("onset_date", True),
        ("notes", True),
        ("totp_secret", True),
        ("result", True),
        ("status", False),
        ("pharmacy_id", False),
        ("created_at", False),
    ],
)
def test_the_vocabulary_recognises_personal_field_names(name: str, personal: bool) -> None:
    assert looks_personal(name) is personal


def test_every_model_with_encrypted_fields_has_a_stable_period_and_a_pharmacy() -> None:
    for model in models_with_encrypted_fields():
        field_names = {f.name for f in model._meta.concrete_fields}
        assert hasattr(model, "vault_period") or "created_at" in field_names, model
        assert (
            hasattr(model, "vault_pharmacy_id")
            or "pharmacy" in field_names
            or ("pharmacy_id" in field_names)
        ), model
