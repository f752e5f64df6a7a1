"""Phone numbers: E.164 output, French defaults, mobile warning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors, render
from relais.screening.validation.phone import validate_phone


@pytest.mark.parametrize(
    "raw",
    [
        "+33 6 12 34 56 78",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0033612345678",
        "\uff10\uff16 \uff11\uff12 \uff13\uff14 \uff15\uff16 \uff17\uff18",
        " +33 (0)6 12 34 56 78 ",
    ],
)
def test_french_mobile_spellings_give_the_same_e164_number(raw: str) -> None:
    assert validate_phone(raw) == ("+33612345678", [])


def test_a_foreign_mobile_in_international_form_is_accepted() -> None:
    assert validate_phone("+32 470 12 34 56") == ("+32470123456", [])


def test_a_landline_is_kept_with_a_not_mobile_warning() -> None:
    number, warnings = validate_phone("01 23 45 67 89")
    assert number == "+33123456789"
    assert [(w.field, w.code, w.severity) for w in warnings] == [
        ("phone", "phone.not_mobile", "warning")
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0612", "phone.invalid"),
        ("06 12 34 56 78 90 12", "phone.invalid"),
        ("not a number", "phone.invalid"),
        ("+999 1234", "phone.invalid"),
        ("0" * 200, "phone.invalid"),
        (612345678, "phone.invalid"),
        ("", "phone.required"),
        (None, "phone.required"),
    ],
)
def test_invalid_numbers_are_refused(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_phone(raw)
    assert [(e.field, e.code) for e in exc.value.errors] == [("phone", code)]
    if isinstance(raw, str) and raw:
        assert raw not in render(exc.value.errors[0])


@given(st.sampled_from(["6", "7"]), st.integers(10_000_000, 99_999_999))
def test_validating_an_e164_result_again_changes_nothing(prefix: str, rest: int) -> None:
    try:
        once, _ = validate_phone(f"0{prefix}{rest}")
    except ValidationErrors as exc:
        assert [e.code for e in exc.errors] == ["phone.invalid"]
        return
    assert once.startswith("+33")
    assert validate_phone(once)[0] == once


@given(st.text(max_size=30))
def test_any_text_is_either_refused_with_a_code_or_normalized_idempotently(raw: str) -> None:
    try:
        once, _ = validate_phone(raw)
    except ValidationErrors as exc:
        assert [e.field for e in exc.errors] == ["phone"]
        return
    assert validate_phone(once)[0] == once
