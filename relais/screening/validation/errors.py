"""Error shapes shared by every validator.

Validators report *codes*, never sentences: the code is stable for API clients and tests,
and the sentence is chosen at display time from `MESSAGES` in the reader's language.
Params carry only what the message needs (a limit, an index, an offending symbol) and
never personal data, so an error can be logged or shown without leaking a NIR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Literal

from relais.screening.validation.messages import MESSAGES

__all__ = ["MESSAGES", "FieldError", "Severity", "ValidationErrors", "render"]

Severity = Literal["error", "warning"]

DEFAULT_LANG = "fr"
UNKNOWN_CODE_MESSAGE = {"fr": "Valeur invalide.", "en": "Invalid value."}

# Defence in depth: even if a caller someday puts an identifier into params, a rendered
# message never shows a run of 13+ digits (the length of a NIR body).
_LONG_DIGIT_RUN = re.compile(r"\d(?:[\s.\-]?\d){12,}")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field, named by its path in the API body (`address.city`)."""

    field: str
    code: str
    params: Mapping[str, str | int] = dataclass_field(default_factory=dict)
    severity: Severity = "error"


def warning(field_name: str, code: str, **params: str | int) -> FieldError:
    """A non-blocking remark: the record is kept, the pharmacist is told."""
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


def render(error: FieldError, lang: str = DEFAULT_LANG) -> str:
    """The sentence for `error` in `lang`, falling back to French, then to a generic text."""
    texts = MESSAGES.get(error.code, UNKNOWN_CODE_MESSAGE)
    template = texts.get(lang) or texts[DEFAULT_LANG]
    try:
        text = template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        text = template
    return _LONG_DIGIT_RUN.sub("…", text)
