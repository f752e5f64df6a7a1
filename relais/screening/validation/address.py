"""Postal address of the patient (optional as a whole; see identity.py).

Country codes are ISO 3166-1 alpha-2. pycountry is not a dependency, so the list comes
from `phonenumbers.SUPPORTED_REGIONS` (245 codes) corrected to ISO: minus AC and TA
(ISO "exceptionally reserved", not assigned) and XK (Kosovo, user-assigned, not ISO),
plus the seven assigned codes that have no telephone plan there: AQ BV GS HM PN TF UM.
That yields the 249 officially assigned codes.

French postal codes (5 digits) apply to France, its overseas départements and
collectivités, and Monaco (980xx); other countries get a free form of up to 16
characters, as postal formats vary too much to check without a dedicated dataset.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers

from relais.core.fielderrors import FieldError, ValidationErrors
from relais.screening.validation._text import check_characters, check_length, require_text, tidy

__all__ = ["ISO_COUNTRIES", "Address", "validate_address"]

ISO_COUNTRIES: frozenset[str] = (frozenset(phonenumbers.SUPPORTED_REGIONS) - {"AC", "TA", "XK"}) | {
    "AQ",
    "BV",
    "GS",
    "HM",
    "PN",
    "TF",
    "UM",
}
FRENCH_POSTAL_COUNTRIES = frozenset(
    {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "MC"}
)
DEFAULT_COUNTRY = "FR"
MAX_LINE_LENGTH = 200
MAX_CITY_LENGTH = 100
MAX_FOREIGN_POSTAL_CODE_LENGTH = 16
_FRENCH_POSTAL_CODE = re.compile(r"(?!00)\d{5}")
_FOREIGN_POSTAL_CODE = re.compile(r"[A-Z0-9](?:[A-Z0-9 -]*[A-Z0-9])?")
_CITY_PUNCTUATION = frozenset(" -'()./,")
_ASCII_DIGITS = frozenset("0123456789")
_LINE_PUNCTUATION = _CITY_PUNCTUATION | frozenset("#&°:;")


@dataclass(frozen=True, slots=True, repr=False)
class Address:
    line: str | None
    postal_code: str
    city: str
    country: str

    def __repr__(self) -> str:
        # Personal data never reaches a log through a repr.
        return f"Address(country={self.country!r}, ...)"


def validate_address(data: object) -> Address | None:
    """A clean address, None when absent, or every sub-field's error under `address.`."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValidationErrors.single("address", "address.invalid")
    errors: list[FieldError] = []

    def attempt[T](check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationErrors as exc:
            errors.extend(exc.errors)
            return None

    country = attempt(lambda: _country(data.get("country")))
    postal_code = attempt(lambda: _postal_code(data.get("postal_code"), country))
    city = attempt(lambda: _free_text(data.get("city"), "city", MAX_CITY_LENGTH, _CITY_PUNCTUATION))
    line = attempt(lambda: _line(data.get("line")))
    if errors or country is None or postal_code is None or city is None:
        raise ValidationErrors(errors)
    return Address(line=line, postal_code=postal_code, city=city, country=country)


def _country(raw: Any) -> str:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return DEFAULT_COUNTRY
    code = unicodedata.normalize("NFKC", raw).strip().upper() if isinstance(raw, str) else ""
    if code not in ISO_COUNTRIES:
        raise ValidationErrors.single("address.country", "country.invalid")
    return code


def _postal_code(raw: Any, country: str | None) -> str:
    text = require_text(raw, "address.postal_code", "postal_code")
    text = tidy(unicodedata.normalize("NFKC", text)).upper()
    if country in FRENCH_POSTAL_COUNTRIES:
        compact = text.replace(" ", "")
        if not _FRENCH_POSTAL_CODE.fullmatch(compact):
            raise ValidationErrors.single("address.postal_code", "postal_code.invalid_fr")
        return compact
    if len(text) > MAX_FOREIGN_POSTAL_CODE_LENGTH or not _FOREIGN_POSTAL_CODE.fullmatch(text):
        raise ValidationErrors.single(
            "address.postal_code", "postal_code.invalid", max=MAX_FOREIGN_POSTAL_CODE_LENGTH
        )
    return text


def _line(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not tidy(raw)):
        return None
    return _free_text(raw, "line", MAX_LINE_LENGTH, _LINE_PUNCTUATION)


def _free_text(raw: Any, part: str, maximum: int, punctuation: frozenset[str]) -> str:
    """Names-like clean-up, with digits and the punctuation addresses use."""
    field = f"address.{part}"
    text = tidy(require_text(raw, field, "address"))
    if not text:
        raise ValidationErrors.single(field, "address.required")
    check_length(text, field, "address", maximum)
    check_characters(text, field, "address", lambda c: c in punctuation or c in _ASCII_DIGITS)
    if not any(c.isalnum() for c in text):
        raise ValidationErrors.single(field, "address.no_letter_or_digit")
    return text
