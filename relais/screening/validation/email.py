"""E-mail addresses, checked for syntax by `email-validator` (no DNS: the counter must
work offline and a lookup would leak which domains our patients use)."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from relais.core.fielderrors import ValidationErrors

__all__ = ["blind_index_normal_email", "normalize_email"]

FIELD = "email"
MAX_RAW_LENGTH = 320  # RFC 5321: 64 (local part) + 1 + 255 (domain)


def normalize_email(raw: object) -> str:
    """The normalized address (domain lower-cased and IDNA-checked, local part NFC).

    The local part keeps its case: RFC 5321 lets a server treat it case-sensitively, so
    the address we send results to is the one the patient gave. Searching is
    case-insensitive through `blind_index_normal_email`.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationErrors.single(FIELD, "email.required")
    if not isinstance(raw, str) or len(raw) > MAX_RAW_LENGTH:
        raise ValidationErrors.single(FIELD, "email.invalid")
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        # The library's message may quote the address: keep only our code.
        raise ValidationErrors.single(FIELD, "email.invalid") from None
    normalized: str = result.normalized
    return normalized


def blind_index_normal_email(email: str) -> str:
    """The text hashed for the e-mail search index: NFKC, casefold, NFKC again.

    The second NFKC makes it idempotent: casefolding may decompose a character that NFKC
    would then recompose (the Unicode "compatibility caseless match" recipe).

    Casefolding the local part conflates addresses that a strict server could tell
    apart; for finding a returning patient that is the right trade-off.
    """
    folded = unicodedata.normalize("NFKC", email).casefold()
    return unicodedata.normalize("NFKC", folded)
