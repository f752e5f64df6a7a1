"""E-mail addresses: syntax check without DNS, normalization, search-index form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors, render
from relais.screening.validation.email import blind_index_normal_email, normalize_email


def test_the_domain_is_lower_cased_and_the_local_part_kept() -> None:
    assert normalize_email("  Jean.Dupont@Exemple.FR ") == "Jean.Dupont@exemple.fr"


def test_an_international_address_is_accepted_in_nfc() -> None:
    assert normalize_email("zoe\u0308@exemple.fr") == "zoë@exemple.fr"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("jean.dupont", "email.invalid"),
        ("jean@", "email.invalid"),
        ("jean dupont@exemple.fr", "email.invalid"),
        ("a" * 400 + "@exemple.fr", "email.invalid"),
        (["a@b.fr"], "email.invalid"),
        ("", "email.required"),
        (None, "email.required"),
    ],
)
def test_invalid_addresses_are_refused_without_echoing_them(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        normalize_email(raw)
    assert [(e.field, e.code) for e in exc.value.errors] == [("email", code)]
    if isinstance(raw, str) and raw:
        assert raw not in render(exc.value.errors[0]) and raw not in str(exc.value)


ADDRESSES = st.from_regex(
    r"[A-Za-z0-9]{1,10}(\.[A-Za-z0-9+_-]{1,10})?@[A-Za-z0-9]{1,10}\.(fr|COM|Org)", fullmatch=True
)


@given(ADDRESSES)
def test_normalizing_a_valid_address_is_idempotent(raw: str) -> None:
    once = normalize_email(raw)
    assert once.lower() == raw.lower()
    assert normalize_email(once) == once


@given(st.emails())
def test_any_generated_address_is_normalized_idempotently_or_refused_with_a_code(
    raw: str,
) -> None:
    try:
        once = normalize_email(raw)
    except ValidationErrors as exc:  # e.g. special-use domains
        assert [e.code for e in exc.errors] == ["email.invalid"]
        return
    assert normalize_email(once) == once


@given(st.text(max_size=40))
def test_the_index_form_is_idempotent(raw: str) -> None:
    once = blind_index_normal_email(raw)
    assert blind_index_normal_email(once) == once


def test_the_index_form_ignores_case_and_compatibility_forms() -> None:
    assert blind_index_normal_email("Jean.Dupont@exemple.fr") == "jean.dupont@exemple.fr"
    assert blind_index_normal_email("\uff2a\uff25\uff21\uff2e@exemple.fr") == "jean@exemple.fr"
    assert blind_index_normal_email("STRASSE@x.de") == blind_index_normal_email("straße@x.de")
