"""Password policy: length and an offline list of common and breached passwords.

CNIL délibération 2022-100 and NIST SP 800-63B-4: at least 12 characters, at most 128 (so a
passphrase fits; paste is allowed), no composition rules, and a check against passwords
known to attackers — offline, from lists shipped with the code (``passwords/README.md``).
"""

from __future__ import annotations

import gzip
import string
from functools import cache
from importlib import resources
from pathlib import Path

import django
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_DISTINCT_CHARACTERS = 5
_EDGES = string.digits + string.punctuation + string.whitespace


@cache
def refused_passwords() -> frozenset[str]:
    django_list = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"
    with gzip.open(django_list, "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle}
    additions = resources.files("relais.accounts.passwords").joinpath("additions.txt")
    words |= {line.strip().lower() for line in additions.read_text("utf-8").splitlines()}
    words.discard("")
    return frozenset(words)


def is_refused(password: str) -> bool:
    lowered = password.lower()
    core = lowered.strip(_EDGES)
    refused = refused_passwords()
    return (
        lowered in refused
        or (len(core) >= 4 and core in refused)  # noqa: PLR2004
        or len(set(lowered)) < MIN_DISTINCT_CHARACTERS
    )


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("Le mot de passe ne doit pas dépasser %(max)d caractères."),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Au plus %(max)d caractères.") % {"max": self.max_length}


class BreachedPasswordValidator:
    def validate(self, password: str, user: object = None) -> None:
        if is_refused(password):
            raise ValidationError(
                _("Ce mot de passe est trop courant ou figure dans des fuites connues."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Pas de mot de passe courant ou déjà divulgué (une phrase de passe convient).")
