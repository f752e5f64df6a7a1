"""Per-field errors: what every input check reports, and the one way they are rendered.

Checks report *codes*, never sentences: the code is stable for API clients and tests, and
the sentence is chosen at display time, in the reader's language, from the catalogues the
apps register here (`register_messages`, from their `AppConfig.ready`). Params carry only
what the message needs (a limit, an index, an offending symbol) and never personal data,
so an error can be logged or shown without leaking a NIR. An unknown code still renders,
as a generic sentence: a missing catalogue never breaks a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Literal

__all__ = [
    "Catalogue",
    "FieldError",
    "Severity",
    "ValidationErrors",
    "register_messages",
    "render",
    "warning",
]

Severity = Literal["error", "warning"]
Catalogue = Mapping[str, Mapping[str, str]]  # code -> language -> text

DEFAULT_LANG = "fr"
UNKNOWN_CODE_MESSAGE = {"fr": "Valeur invalide.", "en": "Invalid value."}

# Defence in depth: even if a caller someday puts an identifier into params, a rendered
# message never shows a run of 13+ digits (the length of a NIR body).
_LONG_DIGIT_RUN = re.compile(r"\d(?:[\s.\-]?\d){12,}")

_messages: dict[str, Mapping[str, str]] = {}


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field, named by its path in the input (`address.city`)."""

    field: str
    code: str
    params: Mapping[str, str | int] = dataclass_field(default_factory=dict)
    severity: Severity = "error"


def warning(field_name: str, code: str, **params: str | int) -> FieldError:
    """A non-blocking remark: the record is kept, the user is told."""
    return FieldError(field_name, code, params, "warning")


class ValidationErrors(Exception):
    """Every blocking error found in one input, not only the first.

    `str()` lists fields and codes only, so a traceback in a log carries no value.
    """

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in self.errors))

    @classmethod
    def single(cls, field_name: str, code: str, **params: str | int) -> ValidationErrors:
        return cls([FieldError(field_name, code, params)])


def register_messages(catalogue: Catalogue) -> None:
    """Add an app's texts; registering the same texts again is a no-op, but two apps giving
    one code different texts is a programming error (one of them would be shown wrongly)."""
    for code, texts in catalogue.items():
        known = _messages.get(code)
        if known is not None and dict(known) != dict(texts):
            raise ValueError(f"two catalogues define the error code {code!r} differently")
        if DEFAULT_LANG not in texts:
            raise ValueError(f"the error code {code!r} has no {DEFAULT_LANG} text")
        _messages[code] = texts


def render(error: FieldError, lang: str = DEFAULT_LANG) -> str:
    """The sentence for `error` in `lang`, falling back to French, then to a generic text."""
    texts = _messages.get(error.code, UNKNOWN_CODE_MESSAGE)
    template = texts.get(lang) or texts[DEFAULT_LANG]
    try:
        text = template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        text = template
    return _LONG_DIGIT_RUN.sub("…", text)
