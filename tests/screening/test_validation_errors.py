"""The identity message catalogue: every emitted code has its texts, and no other."""

from __future__ import annotations

import string

import pytest

from relais.core.fielderrors import FieldError, render
from relais.screening.validation.messages import MESSAGES

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
