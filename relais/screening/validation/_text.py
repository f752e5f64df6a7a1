"""Unicode clean-up shared by names and addresses.

Decisions (see names.py for the why):
- text is NFC-composed, so a decomposed "é" typed on macOS equals the precomposed one;
- invisible direction marks, bidi embeddings/overrides/isolates, zero-width characters,
  soft hyphens, BOM and variation selectors are *stripped*: they carry no meaning in an
  identity, they arrive by copy-paste without the user seeing them, and removing them also
  removes any "Trojan Source" style reordering;
- every other control/format/private-use/unassigned character is *refused*;
- typographic apostrophes and hyphens are mapped to ASCII ' and -, any Unicode space to
  one ASCII space, runs collapsed, ends trimmed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from relais.core.fielderrors import ValidationErrors

# Raw inputs past this size are refused before any Unicode work (cheap DoS guard).
RAW_LENGTH_CEILING = 1000

_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2066\u2067\u2068\u2069"  # word joiner, bidi isolates
    "\u00ad\ufeff\u061c"  # soft hyphen, BOM, Arabic letter mark
) | frozenset(chr(c) for c in range(0xFE00, 0xFE10))  # variation selectors

_APOSTROPHES = dict.fromkeys("\u2019\u2018\u02bc\u00b4\u0060\u2032\uff07", "'")
_HYPHENS = dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-")
_TRANSLATION = str.maketrans(_APOSTROPHES | _HYPHENS)


def tidy(raw: str) -> str:
    """NFC, strip invisibles, ASCII apostrophes/hyphens, single spaces, trimmed."""
    # NFC first (it maps e.g. U+1FFD to U+00B4), then again once invisibles are gone,
    # since removing one can bring a letter and its combining accent together.
    text = unicodedata.normalize("NFC", raw)
    text = "".join(c for c in text if c not in _INVISIBLE).translate(_TRANSLATION)
    text = "".join(" " if _is_space(c) else c for c in text)
    text = unicodedata.normalize("NFC", text)
    return " ".join(part for part in text.split(" ") if part)


def _is_space(char: str) -> bool:
    # Tabs and line breaks come from copy-paste; other C0 controls stay controls.
    return char in "\t\n\r" or unicodedata.category(char) in ("Zs", "Zl", "Zp")


def is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _problem(char: str, previous: str, allowed: Callable[[str], bool]) -> tuple[str, str] | None:
    """(code suffix, shown character) for a refused character, None when acceptable."""
    category = unicodedata.category(char)
    if allowed(char) or category.startswith("L"):
        return None
    if category.startswith("M"):
        # A combining mark must sit on a letter (or on another mark), never alone.
        return None if previous and _is_base(previous) else ("stray_mark", "")
    if category.startswith("C"):
        return ("control_character", "")
    if category.startswith("N"):
        return ("digit", char)
    if category.startswith("S"):
        return ("symbol", char)
    return ("forbidden_character", char)


def _is_base(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def check_characters(text: str, field: str, prefix: str, allowed: Callable[[str], bool]) -> None:
    """Raise one error naming the first refused character class found in `text`.

    Control characters are reported without echoing them (they may be invisible or
    reorder the message); symbols and digits are echoed so the user sees what to fix.
    """
    previous = ""
    for char in text:
        problem = _problem(char, previous, allowed)
        if problem is not None:
            suffix, shown = problem
            params = {"character": shown} if shown else {}
            raise ValidationErrors.single(field, f"{prefix}.{suffix}", **params)
        previous = char


def check_length(text: str, field: str, prefix: str, maximum: int) -> None:
    if len(text) > maximum:
        raise ValidationErrors.single(field, f"{prefix}.too_long", max=maximum)


def require_text(raw: object, field: str, prefix: str) -> str:
    """The input as a non-blank str, or a `required`/`invalid`/`too_long` error."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationErrors.single(field, f"{prefix}.required")
    if not isinstance(raw, str):
        raise ValidationErrors.single(field, f"{prefix}.invalid")
    check_length(raw, field, prefix, RAW_LENGTH_CEILING)
    return raw
