"""Birth date, sample time and symptom onset.

`today` and `now` are always passed in, never read from the clock here: the caller owns
the clock (tests freeze it, a replayed API call is judged at its arrival time).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from relais.core.fielderrors import ValidationErrors

__all__ = [
    "MAX_AGE_YEARS",
    "MAX_ONSET_BEFORE_SAMPLE",
    "validate_birth_date",
    "validate_sample_time",
    "validate_symptoms_onset",
]

# The oldest documented human lived 122 years; 130 leaves room and still catches
# 1884-for-1984 slips.
MAX_AGE_YEARS = 130
# Symptom onset is asked to date the acute phase the test is about (contagiousness is
# counted from 2 days before onset). A gap over 30 days is nearly always a wrong month
# or year, and would not describe the current episode anyway: refused.
MAX_ONSET_BEFORE_SAMPLE = timedelta(days=30)
PARIS = ZoneInfo("Europe/Paris")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(raw: object, field: str) -> date:
    """A `date` from a date or a strict `YYYY-MM-DD` string; a datetime is refused."""
    if raw is None or raw == "":
        raise ValidationErrors.single(field, f"{field}.required")
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    elif isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    raise ValidationErrors.single(field, f"{field}.invalid")


def validate_birth_date(raw: object, today: date) -> date:
    """The birth date: not in the future, not more than 130 years ago."""
    born = parse_date(raw, "birth_date")
    if born > today:
        raise ValidationErrors.single("birth_date", "birth_date.in_future")
    if born < _years_before(today, MAX_AGE_YEARS):
        raise ValidationErrors.single("birth_date", "birth_date.too_old", max=MAX_AGE_YEARS)
    return born


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year - years, day=28)


def validate_sample_time(
    raw: object,
    now: datetime,
    window: timedelta = timedelta(days=7),
    skew: timedelta = timedelta(minutes=5),
) -> datetime:
    """The sample time in UTC: aware, at most `skew` ahead of `now`, within `window`.

    Naive datetimes are refused rather than guessed: a pharmacy in Réunion and one in
    Paris do not share a wall clock. `skew` tolerates a device clock slightly ahead.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    sampled = _parse_datetime(raw, "sampled_at")
    if sampled.tzinfo is None or sampled.utcoffset() is None:
        raise ValidationErrors.single("sampled_at", "sampled_at.naive")
    if sampled > now + skew:
        raise ValidationErrors.single("sampled_at", "sampled_at.in_future")
    if sampled < now - window:
        raise ValidationErrors.single("sampled_at", "sampled_at.too_old", days=window.days)
    return sampled.astimezone(UTC)


def _parse_datetime(raw: object, field: str) -> datetime:
    if raw is None or raw == "":
        raise ValidationErrors.single(field, f"{field}.required")
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and "T" in raw and len(raw) <= 40:  # noqa: PLR2004
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise ValidationErrors.single(field, f"{field}.invalid")


def validate_symptoms_onset(
    raw: object, symptoms: bool, sampled_at: datetime, local_tz: tzinfo = PARIS
) -> date | None:
    """The onset date, required if and only if the patient has symptoms.

    It may not be after the sample's day, nor more than 30 days before it. The sample's
    day is taken in the pharmacy's time zone (`local_tz`), since that is the calendar
    the patient answered in.
    """
    field = "symptoms_onset"
    if not symptoms:
        if raw is None or raw == "":
            return None
        raise ValidationErrors.single(field, "symptoms_onset.without_symptoms")
    onset = parse_date(raw, field)
    sample_day = sampled_at.astimezone(local_tz).date()
    if onset > sample_day:
        raise ValidationErrors.single(field, "symptoms_onset.after_sample")
    if onset < sample_day - MAX_ONSET_BEFORE_SAMPLE:
        raise ValidationErrors.single(
            field, "symptoms_onset.too_old", days=MAX_ONSET_BEFORE_SAMPLE.days
        )
    return onset
