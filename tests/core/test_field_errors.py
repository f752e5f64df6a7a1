"""Per-field errors: the exception, and rendering through the registered catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relais.core.fielderrors import FieldError, ValidationErrors, register_messages, render

RAISED_CODE = re.compile(r'ValidationErrors\.single\(\s*"[^"]+",\s*"([^"]+)"')
# The API renders its own codes (request shapes, keys) from its problem catalogue.
OWN_CATALOGUE = ("api",)


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


def test_one_code_with_two_texts_is_refused() -> None:
    register_messages({"test.twice": {"fr": "Une fois.", "en": "Once."}})
    register_messages({"test.twice": {"fr": "Une fois.", "en": "Once."}})
    with pytest.raises(ValueError, match="differently"):
        register_messages({"test.twice": {"fr": "Deux fois.", "en": "Twice."}})


def test_every_code_a_service_raises_has_a_registered_french_and_english_text() -> None:
    root = Path(__file__).resolve().parents[2] / "relais"
    codes = {
        code
        for path in root.rglob("*.py")
        if path.relative_to(root).parts[0] not in OWN_CATALOGUE
        for code in RAISED_CODE.findall(path.read_text(encoding="utf-8"))
    }
    assert len(codes) >= 5
    generic = {render(FieldError("f", "no.such.code"), lang) for lang in ("fr", "en")}
    untold = [
        code
        for code in sorted(codes)
        for lang in ("fr", "en")
        if render(FieldError("f", code, {"max": 1, "minimum": 1, "maximum": 2}), lang) in generic
    ]
    assert untold == []
