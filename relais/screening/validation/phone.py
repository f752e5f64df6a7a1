"""Phone numbers, validated by Google's libphonenumber metadata (`phonenumbers`).

National numbers are read as French ("06 12 34 56 78"); international ones may use "+"
or the French international prefix "00". The stored form is E.164 ("+33612345678").
A valid number that is not a mobile is kept with a warning: the patient is told their
result is available by SMS or e-mail, and a landline cannot receive an SMS.
"""

from __future__ import annotations

import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from relais.core.fielderrors import FieldError, ValidationErrors, warning

__all__ = ["DEFAULT_REGION", "validate_phone"]

FIELD = "phone"
DEFAULT_REGION = "FR"
MAX_RAW_LENGTH = 40  # the longest sane spelling with separators; guards the parser
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def validate_phone(raw: object, region: str = DEFAULT_REGION) -> tuple[str, list[FieldError]]:
    """(E.164 number, warnings), or ValidationErrors on field `phone`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationErrors.single(FIELD, "phone.required")
    if not isinstance(raw, str) or len(raw) > MAX_RAW_LENGTH:
        raise ValidationErrors.single(FIELD, "phone.invalid")
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", raw), region)
    except NumberParseException:
        raise ValidationErrors.single(FIELD, "phone.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationErrors.single(FIELD, "phone.invalid")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if phonenumbers.number_type(number) in _MOBILE_TYPES:
        return e164, []
    return e164, [warning(FIELD, "phone.not_mobile")]
