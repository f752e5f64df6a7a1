"""Error shapes and the message catalogue."""

from __future__ import annotations

import re
import string

import pytest

from relais.screening.validation.errors import MESSAGES, FieldError, ValidationErrors, render

TEXT_SUFFIXES = [
    "required",
    "invalid",
    "too_long",
    "control_character",
    "stray_mark",
    "digit",
    "symbol",
    "forbidden_character",
]
EMITTED_CODES = (
    [
        f"{prefix}.{suffix}"
        for prefix in ("name", "address", "postal_code")
        for suffix in TEXT_SUFFIXES
    ]
    + ["name.no_letter", "name.hyphen_at_edge", "name.non_latin_script", "first_names.too_many"]
    + ["address.no_letter_or_digit", "country.invalid", "postal_code.invalid_fr"]
    + [f"nir.{c}" for c in ("required", "bad_characters", "missing_key", "wrong_length")]
    + [f"nir.{c}" for c in ("bad_first_digit", "bad_key", "temporary", "unusual_month")]
    + [f"nir.{c}" for c in ("sex_mismatch", "birth_year_mismatch", "birth_month_mismatch")]
    + [f"no_nir_reason.{c}" for c in ("required", "invalid", "unexpected")]
    + ["phone.required", "phone.invalid", "phone.not_mobile", "email.required", "email.invalid"]
    + ["contact.required", "sex.required", "sex.invalid"]
    + [f"birth_date.{c}" for c in ("required", "invalid", "in_future", "too_old")]
    + [f"sampled_at.{c}" for c in ("required", "invalid", "naive", "in_future", "too_old")]
    + [f"symptoms_onset.{c}" for c in ("required", "invalid", "without_symptoms")]
    + ["symptoms_onset.after_sample", "symptoms_onset.too_old"]
)
SAMPLE_PARAMS: dict[str, str | int] = {"max": 100, "length": 15, "days": 7, "character": "😀"}


@pytest.mark.parametrize("code", EMITTED_CODES)
def test_every_emitted_code_has_a_french_and_an_english_text(code: str) -> None:
    assert set(MESSAGES[code]) == {"fr", "en"}
    for lang in ("fr", "en"):
        fields = {name for _, name, _, _ in string.Formatter().parse(MESSAGES[code][lang]) if name}
        assert fields <= set(SAMPLE_PARAMS)
        text = render(FieldError("f", code, SAMPLE_PARAMS), lang)
        assert text and "{" not in text


def test_the_catalogue_holds_no_unused_code() -> None:
    assert set(MESSAGES) == set(EMITTED_CODES)


def test_render_falls_back_to_french_then_to_a_generic_text() -> None:
    assert render(FieldError("nir", "nir.bad_key"), "de") == "La clé du NIR est incorrecte."
    assert render(FieldError("nir", "nir.bad_key"), "en") == "The NIR key is wrong."
    assert render(FieldError("x", "no.such.code"), "en") == "Invalid value."


def test_a_missing_param_does_not_crash_rendering() -> None:
    assert "{max}" in render(FieldError("last_name", "name.too_long"))


def test_a_long_digit_run_smuggled_into_params_is_never_rendered() -> None:
    error = FieldError("last_name", "name.digit", {"character": "2 84 05 75 123 456 12"})
    rendered = render(error)
    assert "123 456" not in rendered
    assert not re.search(r"\d(?:\D?\d){12}", rendered)


def test_the_exception_lists_fields_and_codes_only() -> None:
    exc = ValidationErrors(
        [FieldError("nir", "nir.bad_key"), FieldError("city", "address.symbol", {"character": "$"})]
    )
    assert str(exc) == "nir: nir.bad_key; city: address.symbol"


def test_an_error_defaults_to_blocking_severity() -> None:
    assert FieldError("sex", "sex.invalid").severity == "error"
