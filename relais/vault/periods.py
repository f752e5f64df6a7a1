"""Periods ("YYYY-MM", Europe/Paris) and the names of their KEKs ("kek-YYYY-MM-vN")."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_KEK_ID = re.compile(r"^kek-(\d{4}-(?:0[1-9]|1[0-2]))-v([1-9]\d*)$")


def validate_period(period: str) -> str:
    if not _PERIOD.match(period):
        raise ValueError(f"period must look like YYYY-MM, not {period!r}")
    return period


def period_of(moment: dt.datetime) -> str:
    """The Paris month of an aware datetime: a record's period never changes afterwards."""
    if moment.tzinfo is None:
        raise ValueError("period_of needs an aware datetime")
    return moment.astimezone(PARIS).strftime("%Y-%m")


def current_period() -> str:
    return period_of(dt.datetime.now(tz=PARIS))


def kek_id_for(period: str, version: int) -> str:
    return f"kek-{validate_period(period)}-v{version}"


def parse_kek_id(kek_id: str) -> tuple[str, int] | None:
    """(period, version) of a KEK name, or None for anything else in the provider."""
    match = _KEK_ID.match(kek_id)
    return (match.group(1), int(match.group(2))) if match else None
