"""FINESS numbers: 9 characters, the last one a Luhn check digit.

Corsican establishments carry 2A or 2B as their département; the Luhn key is then computed
with the letter replaced by 0 (the convention of the FINESS register). The number is kept
exactly as written, upper-cased.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError

_FORMAT = re.compile(r"^(\d{2}|2[AB])\d{7}$")


class InvalidFinessError(ValueError):
    pass


def normalize_finess(raw: str) -> str:
    value = re.sub(r"[\s.-]", "", raw).upper()
    if not _FORMAT.match(value):
        raise InvalidFinessError("Un numéro FINESS comporte 9 caractères (chiffres, ou 2A/2B).")
    try:
        luhn.validate(value.replace("A", "0").replace("B", "0"))
    except StdnumError:
        raise InvalidFinessError("La clé du numéro FINESS est incorrecte.") from None
    return value
