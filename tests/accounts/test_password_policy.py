"""Password policy: 12 to 128 characters, common and breached passwords refused offline."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from relais.accounts.validators import is_refused, refused_passwords


@pytest.mark.parametrize(
    "password",
    [
        "azertyuiop",
        "Azertyuiop2024!",
        "motdepasse123",
        "123456789012",
        "aaaaaaaaaaaaaaaa",
        "Pharmacie!!!!",
    ],
)
def test_common_passwords_are_refused(password: str) -> None:
    assert is_refused(password)


def test_the_shipped_list_holds_djangos_and_our_additions() -> None:
    words = refused_passwords()
    assert len(words) > 19000
    assert {"password", "azertyuiop", "pharmacie"} <= words


@given(st.text(min_size=1, max_size=11))
def test_fewer_than_twelve_characters_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@given(st.text(min_size=129, max_size=300))
def test_more_than_128_characters_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_passphrase_without_composition_rules_is_accepted() -> None:
    validate_password("le chat dort sur la caisse enregistreuse")
