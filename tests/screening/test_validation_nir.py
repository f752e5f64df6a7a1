"""NIR: canonical form, key (Corsica included), coherence warnings, masking."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors, render
from relais.screening.validation.nir import (
    mask_nir,
    nir_coherence_warnings,
    normalize_nir,
    validate_nir,
)


def key_for(body13: str) -> str:
    """Independent of stdnum: 97 - (body mod 97), 2A -> 19, 2B -> 18."""
    numeric = body13[:5] + {"2A": "19", "2B": "18"}.get(body13[5:7], body13[5:7]) + body13[7:]
    return f"{97 - int(numeric) % 97:02d}"


def two_digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


months = st.one_of(two_digits(1, 12), two_digits(20, 42), st.just("99"))
departments = st.one_of(two_digits(1, 99), st.sampled_from(["2A", "2B"]))


@st.composite
def valid_nirs(draw: st.DrawFn, month: st.SearchStrategy[str] = months) -> str:
    body = (
        draw(st.sampled_from("123478"))
        + draw(two_digits(0, 99))
        + draw(month)
        + draw(departments)
        + draw(st.integers(0, 999).map(lambda n: f"{n:03d}"))
        + draw(st.integers(0, 999).map(lambda n: f"{n:03d}"))
    )
    return body + key_for(body)


def error_codes(exc: pytest.ExceptionInfo[ValidationErrors]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


@given(valid_nirs())
def test_every_nir_with_a_correct_key_validates_including_corsica_and_odd_months(nir: str) -> None:
    canonical, warnings = validate_nir(nir)
    assert canonical == nir
    assert all(w.severity == "warning" for w in warnings)
    assert "nir.unusual_month" not in {w.code for w in warnings}


@given(valid_nirs(), st.sampled_from([" ", ".", "-", "\u00a0", "\u202f", ""]), st.booleans())
def test_formatted_spellings_normalize_to_the_same_canonical_nir(
    nir: str, separator: str, lower: bool
) -> None:
    parts = [nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]]
    spelled = separator.join(parts)
    spelled = spelled.lower() if lower else spelled
    assert normalize_nir(spelled) == nir
    assert normalize_nir(normalize_nir(spelled)) == normalize_nir(spelled)


@given(valid_nirs())
def test_full_width_digits_are_accepted(nir: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in nir)
    assert validate_nir(full_width)[0] == nir


@given(valid_nirs(), st.integers(0, 14), st.integers(1, 9))
def test_any_single_character_change_is_refused(nir: str, position: int, shift: int) -> None:
    char = nir[position]
    swapped_letter = "B" if char == "A" else "A"
    changed = str((int(char) + shift) % 10) if char.isdigit() else swapped_letter
    tampered = nir[:position] + changed + nir[position + 1 :]
    with pytest.raises(ValidationErrors) as exc:
        validate_nir(tampered)
    assert exc.value.errors[0].field == "nir"
    assert exc.value.errors[0].code in {"nir.bad_key", "nir.bad_first_digit", "nir.bad_characters"}
    for lang in ("fr", "en"):
        assert tampered not in render(exc.value.errors[0], lang)
    assert tampered not in str(exc.value)


def test_corsican_keys_match_the_hand_computed_values() -> None:
    # 2530719073004 mod 97 = 54 -> key 43 ; 2530718073004 mod 97 = 27 -> key 70
    assert 97 - 2530719073004 % 97 == 43
    assert 97 - 2530718073004 % 97 == 70
    assert validate_nir("2 53 07 2A 073 004 43")[0] == "253072A07300443"
    assert validate_nir("253072b07300470")[0] == "253072B07300470"


def test_swapping_2a_and_2b_keys_is_refused() -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_nir("253072A07300470")
    assert error_codes(exc) == [("nir", "nir.bad_key")]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "nir.required"),
        ("   ", "nir.required"),
        (None, "nir.required"),
        ("1840575123456", "nir.missing_key"),
        ("18405751234", "nir.wrong_length"),
        ("1840575123456789", "nir.wrong_length"),
        ("1" * 100, "nir.wrong_length"),
        ("18405X512345678", "nir.bad_characters"),
        ("253072C07300443", "nir.bad_characters"),
        ("25307AB07300443", "nir.bad_characters"),
        (184057512345678, "nir.bad_characters"),
        ("584057512345678", "nir.bad_first_digit"),
    ],
)
def test_malformed_nirs_are_refused_with_a_precise_code(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_nir(raw)
    assert error_codes(exc) == [("nir", code)]


def test_a_month_outside_known_ranges_is_a_warning_not_an_error() -> None:
    body = "1841575123456"
    canonical, warnings = validate_nir(body + key_for(body))
    assert canonical.startswith(body)
    assert [(w.field, w.code, w.severity) for w in warnings] == [
        ("nir", "nir.unusual_month", "warning")
    ]


def test_a_temporary_number_is_accepted_with_a_warning() -> None:
    body = "7840599123456"
    _, warnings = validate_nir(body + key_for(body))
    assert [w.code for w in warnings] == ["nir.temporary"]


@pytest.mark.parametrize(
    ("first", "sex", "warned"),
    [
        ("1", "M", False),
        ("2", "F", False),
        ("3", "M", False),
        ("4", "F", False),
        ("7", "M", False),
        ("8", "F", False),
        ("1", "F", True),
        ("2", "M", True),
        ("4", "M", True),
        ("7", "F", True),
        ("1", "U", False),
        ("2", None, False),
    ],
)
def test_the_sex_digit_is_compared_by_parity(first: str, sex: str | None, warned: bool) -> None:
    body = first + "840575123456"
    warnings = nir_coherence_warnings(body + key_for(body), sex, date(1984, 5, 2))
    assert ("nir.sex_mismatch" in {w.code for w in warnings}) is warned


def test_birth_year_and_month_mismatches_are_separate_warnings() -> None:
    body = "2840575123456"
    warnings = nir_coherence_warnings(body + key_for(body), "F", date(1985, 6, 2))
    assert [(w.field, w.code, w.severity) for w in warnings] == [
        ("nir", "nir.birth_year_mismatch", "warning"),
        ("nir", "nir.birth_month_mismatch", "warning"),
    ]


@given(valid_nirs(month=st.one_of(two_digits(20, 42), st.just("99"))))
def test_incomplete_record_months_never_give_a_month_warning(nir: str) -> None:
    warnings = nir_coherence_warnings(nir, None, date(1900 + int(nir[1:3]), 7, 14))
    assert warnings == []


@given(valid_nirs())
def test_the_mask_shows_only_sex_year_month_and_key(nir: str) -> None:
    masked = mask_nir(nir)
    assert re.sub(r"[^0-9A-Z]", "", masked) == nir[:5] + nir[13:]
    assert masked == f"{nir[0]} {nir[1:3]} {nir[3:5]} ** *** *** {nir[13:]}"
    assert nir[5:13] not in masked.replace(" ", "")


def test_the_mask_of_an_example_nir_matches_the_documented_shape() -> None:
    body = "2840575123456"
    assert mask_nir(body + key_for(body)) == f"2 84 05 ** *** *** {key_for(body)}"


def test_a_malformed_value_is_masked_entirely() -> None:
    assert not re.search(r"\d", mask_nir("2840575123"))
