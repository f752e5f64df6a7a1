"""Family and given names.

What a name may hold, decided deliberately:
- letters of any script with their accents ("Zoë", "Müller-Lüdenscheidt", "José María",
  "Nguyễn", "Ólafsdóttir", also Arabic, Cyrillic, Greek, CJK): civil-status documents of
  people tested in France come from everywhere, and refusing a real name at the counter
  helps nobody. Names that are not in the Latin script get a *warning*, because SI-DEP
  matches identities against Latin-script records and the pharmacist may want to enter
  the transliteration printed on the patient's ID instead;
- spaces, hyphens (also the "--" of double family names registered before 2011) and
  apostrophes ("N'Diaye", "d'Auvergne"); typographic variants become ASCII;
- invisible direction marks and zero-width characters are stripped, not refused (see
  _text.py): the user cannot see them, so an error about them could not be acted upon;
- digits, emoji, symbols, other punctuation and control characters are refused with a
  code naming the class (and the offending visible character, to point at it);
- 1 to 100 characters after clean-up, with at least one letter and no hyphen at either end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from relais.core.fielderrors import FieldError, ValidationErrors, warning
from relais.screening.validation._text import check_characters, check_length, require_text, tidy

__all__ = [
    "MAX_FIRST_NAMES",
    "MAX_NAME_LENGTH",
    "blind_index_normal_identity",
    "name_warnings",
    "normalize_first_names",
    "normalize_name",
]

MAX_NAME_LENGTH = 100
MAX_FIRST_NAMES = 20
_NAME_PUNCTUATION = frozenset(" -'")
_SPACED_HYPHEN = re.compile(r" ?- ?")
# Letters that NFKD does not decompose but that people type both ways ("Œ"/"OE").
_LETTER_FOLDS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "\u0131": "i"}  # last: dotless i
)


def normalize_name(raw: object, field: str) -> str:
    """The canonical form of one name, or a ValidationErrors naming `field`."""
    text = _SPACED_HYPHEN.sub("-", tidy(require_text(raw, field, "name")))
    if not text:
        raise ValidationErrors.single(field, "name.required")
    check_length(text, field, "name", MAX_NAME_LENGTH)
    check_characters(text, field, "name", _NAME_PUNCTUATION.__contains__)
    if not any(unicodedata.category(c).startswith("L") for c in text):
        raise ValidationErrors.single(field, "name.no_letter")
    if text[0] == "-" or text[-1] == "-":
        raise ValidationErrors.single(field, "name.hyphen_at_edge")
    return text


def name_warnings(name: str, field: str) -> list[FieldError]:
    """A warning when a (valid) name has letters outside the Latin script."""
    letters = (c for c in name if unicodedata.category(c).startswith("L"))
    if all(unicodedata.name(c, "").startswith("LATIN") for c in letters):
        return []
    return [warning(field, "name.non_latin_script")]


def normalize_first_names(raw: object) -> tuple[str, ...]:
    """Given names in civil-status order.

    A string is split on commas, as French civil-status documents list given names
    ("Jean, Pierre, Marie"); "Jean Pierre" stays one name because it may be one. Blank
    items (a trailing comma) are dropped. Errors name the item by its position among the
    non-blank ones: `first_names.1` is the second given name.
    """
    items = _first_name_items(raw)
    names: list[str] = []
    errors: list[FieldError] = []
    index = 0
    for item in items:
        if isinstance(item, str) and not tidy(item):
            continue
        try:
            names.append(normalize_name(item, f"first_names.{index}"))
        except ValidationErrors as exc:
            errors.extend(exc.errors)
        index += 1
    if errors:
        raise ValidationErrors(errors)
    if not names:
        raise ValidationErrors.single("first_names", "name.required")
    if len(names) > MAX_FIRST_NAMES:
        raise ValidationErrors.single("first_names", "first_names.too_many", max=MAX_FIRST_NAMES)
    return tuple(names)


def _first_name_items(raw: object) -> Sequence[object]:
    if raw is None:
        raise ValidationErrors.single("first_names", "name.required")
    if isinstance(raw, str):
        require_text(raw, "first_names", "name")
        return raw.split(",")
    if isinstance(raw, list | tuple):
        return raw
    raise ValidationErrors.single("first_names", "name.invalid")


def blind_index_normal_identity(last_name: str, birth_date: date) -> str:
    """The text hashed for the last-name + birth-date search index.

    Casefolded, accents dropped, non-letters dropped: "de La Tour-d'Auvergne" and
    "DELATOUR D AUVERGNE" find the same patient, which is what a pharmacist searching a
    returning patient expects. Only letters and the ISO date go into the HMAC.
    """
    decomposed = unicodedata.normalize("NFKD", last_name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    letters = "".join(c for c in bare.translate(_LETTER_FOLDS) if c.isalpha())
    return f"{letters}|{birth_date.isoformat()}"
