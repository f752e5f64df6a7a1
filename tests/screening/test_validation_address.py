"""Postal address: French and foreign postal codes, ISO countries, free-text parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors
from relais.screening.validation.address import ISO_COUNTRIES, Address, validate_address


def codes(exc: pytest.ExceptionInfo[ValidationErrors]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


def test_a_french_address_is_cleaned_and_defaults_to_france() -> None:
    address = validate_address(
        {"line": " 12 bis,  rue de l\u2019Église ", "postal_code": "75 015", "city": "Paris 15e"}
    )
    assert address == Address("12 bis, rue de l'Église", "75015", "Paris 15e", "FR")


@pytest.mark.parametrize(
    ("country", "postal_code", "expected"),
    [
        ("re", "97400", "97400"),
        ("MC", "98000", "98000"),
        ("GB", "sw1a 1aa", "SW1A 1AA"),
        ("BE", "1000", "1000"),
        ("CH", "\uff11\uff12\uff10\uff11", "1201"),
    ],
)
def test_postal_codes_follow_the_country(country: str, postal_code: str, expected: str) -> None:
    address = validate_address({"postal_code": postal_code, "city": "Ville", "country": country})
    assert address is not None
    assert address.postal_code == expected
    assert address.country == country.upper()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"postal_code": "7501", "city": "Paris"},
            [("address.postal_code", "postal_code.invalid_fr")],
        ),
        (
            {"postal_code": "00100", "city": "Paris"},
            [("address.postal_code", "postal_code.invalid_fr")],
        ),
        (
            {"postal_code": "X" * 17, "city": "London", "country": "GB"},
            [("address.postal_code", "postal_code.invalid")],
        ),
        (
            {"postal_code": "75001", "city": "Paris", "country": "XK"},
            [("address.country", "country.invalid")],
        ),
        (
            {"postal_code": "75001", "city": "Paris", "country": "FRA"},
            [("address.country", "country.invalid")],
        ),
        ({"postal_code": "75001", "city": "Paris 😀"}, [("address.city", "address.symbol")]),
        (
            {"postal_code": "75001", "city": "Paris", "line": "1 rue\u0007"},
            [("address.line", "address.control_character")],
        ),
        ({"postal_code": "75001", "city": "--"}, [("address.city", "address.no_letter_or_digit")]),
        ({"postal_code": "75001", "city": "P" * 101}, [("address.city", "address.too_long")]),
        (
            {"line": "x" * 201, "city": " ", "country": "ZZ"},
            [
                ("address.country", "country.invalid"),
                ("address.postal_code", "postal_code.required"),
                ("address.city", "address.required"),
                ("address.line", "address.too_long"),
            ],
        ),
    ],
)
def test_every_bad_part_is_reported_under_its_own_field(
    data: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_address(data)
    assert codes(exc) == expected


def test_no_address_is_none_and_a_non_mapping_is_refused() -> None:
    assert validate_address(None) is None
    with pytest.raises(ValidationErrors) as exc:
        validate_address("12 rue de Paris")
    assert codes(exc) == [("address", "address.invalid")]


def test_the_country_list_is_the_249_assigned_iso_codes() -> None:
    assert len(ISO_COUNTRIES) == 249
    assert {"FR", "AQ", "TF", "RE"} <= ISO_COUNTRIES
    assert not {"AC", "TA", "XK"} & ISO_COUNTRIES
    assert all(len(code) == 2 and code.isupper() for code in ISO_COUNTRIES)


def test_the_repr_does_not_show_the_address() -> None:
    address = validate_address({"line": "12 rue Secrète", "postal_code": "75001", "city": "Paris"})
    assert "Secrète" not in repr(address) and "75001" not in repr(address)


@given(
    st.integers(1000, 99999).map(lambda n: f"{n:05d}"),
    st.text(alphabet="abcéè -'", min_size=1, max_size=30),
)
def test_validating_a_clean_address_again_changes_nothing(postal_code: str, city: str) -> None:
    try:
        once = validate_address({"postal_code": postal_code, "city": city + "x"})
    except ValidationErrors as exc:
        assert all(e.field == "address.city" for e in exc.errors)
        return
    assert once is not None
    again = validate_address(
        {"postal_code": once.postal_code, "city": once.city, "line": once.line}
    )
    assert again == once
