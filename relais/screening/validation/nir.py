"""NIR (French social security number): normalization, key check, coherence, masking.

Layout: sex (1) · year (2) · month (2) · département (2: digits, or 2A/2B for Corsica) ·
commune (3) · order (3) · key (2). Key = 97 - (first 13 digits mod 97), with 2A read as
19 and 2B as 18. python-stdnum's `stdnum.fr.nir` (2.2) applies exactly this substitution
(`calc_check_digits`), so the key is checked by stdnum; tests recompute it independently,
Corsica included. stdnum does not check the first digit, so this module does.

First digit (INSEE / service-public): 1 man, 2 woman; 3 and 4 a man / woman born abroad
whose registration is in progress; 7 and 8 a man / woman with a temporary number (NIA).
Other first digits do not exist and are refused. Odd means male, even female.

Month: 01-12, or a fictitious month when the civil-status record was incomplete (20-42,
and 50-99 on older records; 99 is the usual "unknown"). Those are real NIRs: never an
error, and no mismatch warning since they say nothing about the birth month. Other months
(00, 13-19, 43-49) are not known to be issued: a warning, not an error, because the
registry, not Relais, is the authority on what it issued.

Errors and warnings never carry the number: display it with `mask_nir`.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.fr import nir as stdnum_nir

from relais.core.fielderrors import FieldError, ValidationErrors, warning

__all__ = ["mask_nir", "nir_coherence_warnings", "normalize_nir", "validate_nir"]

FIELD = "nir"
NIR_LENGTH = 15
_SEPARATORS = frozenset(" .-\u2010\u2011\u2012\u2013\u2014\u2212_/")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_MALE_DIGITS = frozenset("137")
_FEMALE_DIGITS = frozenset("248")
_TEMPORARY_DIGITS = frozenset("78")
_KNOWN_FIRST_DIGITS = _MALE_DIGITS | _FEMALE_DIGITS


def normalize_nir(raw: object) -> str:
    """The canonical 15-character NIR (digits, and 2A/2B upper-case), or an error.

    Accepts the spellings found on cards and forms: spaces (also non-breaking), dots,
    hyphens, full-width digits (via NFKC), a lower-case 2a/2b.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationErrors.single(FIELD, "nir.required")
    if not isinstance(raw, str):
        raise ValidationErrors.single(FIELD, "nir.bad_characters")
    if len(raw) > 4 * NIR_LENGTH:  # refused before any Unicode work on a huge input
        raise ValidationErrors.single(FIELD, "nir.wrong_length", length=NIR_LENGTH)
    text = unicodedata.normalize("NFKC", raw)
    compact = "".join(c for c in text if not (c.isspace() or c in _SEPARATORS or c in _INVISIBLE))
    compact = compact.upper()
    if not _has_nir_characters(compact):
        raise ValidationErrors.single(FIELD, "nir.bad_characters")
    if len(compact) == NIR_LENGTH - 2:
        raise ValidationErrors.single(FIELD, "nir.missing_key")
    if len(compact) != NIR_LENGTH:
        raise ValidationErrors.single(FIELD, "nir.wrong_length", length=NIR_LENGTH)
    return compact


def _has_nir_characters(compact: str) -> bool:
    """ASCII digits everywhere, except an A or B right after the '2' of a Corsican code."""
    for index, char in enumerate(compact):
        corsica = index == 6 and char in "AB" and compact[5] == "2"  # noqa: PLR2004
        if not (char in "0123456789" or corsica):
            return False
    return True


def validate_nir(raw: object) -> tuple[str, list[FieldError]]:
    """(canonical NIR, warnings) for a valid NIR; ValidationErrors otherwise."""
    canonical = normalize_nir(raw)
    if canonical[0] not in _KNOWN_FIRST_DIGITS:
        raise ValidationErrors.single(FIELD, "nir.bad_first_digit")
    try:
        stdnum_nir.validate(canonical)
    except stdnum_errors.InvalidChecksum:
        raise ValidationErrors.single(FIELD, "nir.bad_key") from None
    except stdnum_errors.ValidationError:
        raise ValidationErrors.single(FIELD, "nir.bad_characters") from None
    warnings: list[FieldError] = []
    if canonical[0] in _TEMPORARY_DIGITS:
        warnings.append(warning(FIELD, "nir.temporary"))
    if not _is_known_month(int(canonical[3:5])):
        warnings.append(warning(FIELD, "nir.unusual_month"))
    return canonical, warnings


def _is_known_month(month: int) -> bool:
    return 1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99  # noqa: PLR2004


def nir_coherence_warnings(nir: str, sex: str | None, birth_date: date | None) -> list[FieldError]:
    """Warnings when a valid NIR disagrees with the declared sex or birth date.

    Only warnings: a NIR keeps the sex digit of its first registration, and birth dates
    get corrected; SI-DEP takes the record, a human double-checks the identity.
    """
    found: list[FieldError] = []
    if (sex == "M" and nir[0] in _FEMALE_DIGITS) or (sex == "F" and nir[0] in _MALE_DIGITS):
        found.append(warning(FIELD, "nir.sex_mismatch"))
    if birth_date is None:
        return found
    if int(nir[1:3]) != birth_date.year % 100:
        found.append(warning(FIELD, "nir.birth_year_mismatch"))
    month = int(nir[3:5])
    if 1 <= month <= 12 and month != birth_date.month:  # noqa: PLR2004
        found.append(warning(FIELD, "nir.birth_month_mismatch"))
    return found


def mask_nir(nir: str) -> str:
    """`2 84 05 ** *** *** 52`: sex, year, month and key shown, place and order hidden.

    Anything that is not a well-formed NIR is masked entirely.
    """
    try:
        canonical = normalize_nir(nir)
    except ValidationErrors:
        return "* ** ** ** *** *** **"
    return f"{canonical[0]} {canonical[1:3]} {canonical[3:5]} ** *** *** {canonical[13:]}"
