"""What the simulated platform checks in each message before accepting it.

Returns reasons (short English sentences naming the field) rather than raising, so each
message of a batch gets its own verdict. The NIR key is checked with python-stdnum, which
handles Corsica (2A/2B) and the 20-42/99 months of incomplete civil records.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir as stdnum_nir

from relais.relay.messages.canonical import FINESS_SHAPE
from relais.relay.messages.codes import LOINC_BY_KIND
from relais.relay.messages.parsed import ParsedMessage

# Clocks of pharmacy terminals drift; a few minutes ahead is not "in the future".
CLOCK_TOLERANCE: Final = timedelta(minutes=5)
KNOWN_LOINCS: Final = frozenset(LOINC_BY_KIND.values())


def rejection_reasons(message: ParsedMessage, now: datetime) -> list[str]:
    """Every reason to reject `message`; empty when it is acceptable."""
    reasons = []
    if message.action is None:
        reasons.append("status: unknown or missing (expected final, amended, entered-in-error)")
    if message.result is None:
        reasons.append("result: missing or not a known SNOMED CT code")
    if message.loinc not in KNOWN_LOINCS:
        reasons.append("code: missing or not a known LOINC test code")
    reasons.extend(_sample_time_reasons(message.sampled_at, now))
    reasons.extend(_finess_reasons(message.finess))
    if message.nir is not None:
        reasons.extend(_nir_reasons(message.nir))
    return reasons


def _sample_time_reasons(sampled_at: datetime | None, now: datetime) -> list[str]:
    if sampled_at is None:
        return ["sampled_at: missing or not a timezone-aware date-time"]
    if sampled_at > now + CLOCK_TOLERANCE:
        return ["sampled_at: in the future"]
    return []


def _finess_reasons(finess: str | None) -> list[str]:
    if finess is None:
        return ["finess: missing"]
    if FINESS_SHAPE.fullmatch(finess) is None:
        return ["finess: must be 9 characters"]
    # Corsican numbers (2A/2B) have no published key rule; check the all-digit ones.
    if finess.isdigit() and not luhn.is_valid(finess):
        return ["finess: invalid check digit"]
    return []


def _nir_reasons(nir: str) -> list[str]:
    try:
        stdnum_nir.validate(nir)
    except InvalidChecksum:
        return ["nir: invalid key"]
    except ValidationError:
        return ["nir: invalid format"]
    return []
