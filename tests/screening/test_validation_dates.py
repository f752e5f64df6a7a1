"""Birth date, sample time and symptom onset limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.fielderrors import ValidationErrors
from relais.screening.validation.dates import (
    validate_birth_date,
    validate_sample_time,
    validate_symptoms_onset,
)

TODAY = date(2022, 1, 10)
NOW = datetime(2022, 1, 10, 17, 30, tzinfo=UTC)
REUNION = ZoneInfo("Indian/Reunion")


def codes(exc: pytest.ExceptionInfo[ValidationErrors]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1984-05-02", date(1984, 5, 2)),
        (date(2022, 1, 10), TODAY),
        ("1892-01-10", date(1892, 1, 10)),
    ],
)
def test_birth_dates_from_today_back_to_130_years_are_accepted(raw: object, expected: date) -> None:
    assert validate_birth_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2022-01-11", "birth_date.in_future"),
        ("1892-01-09", "birth_date.too_old"),
        ("1984-02-30", "birth_date.invalid"),
        ("02/05/1984", "birth_date.invalid"),
        ("19840502", "birth_date.invalid"),
        (datetime(1984, 5, 2, tzinfo=UTC), "birth_date.invalid"),
        (19840502, "birth_date.invalid"),
        ("", "birth_date.required"),
        (None, "birth_date.required"),
    ],
)
def test_impossible_birth_dates_are_refused(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_birth_date(raw, TODAY)
    assert codes(exc) == [("birth_date", code)]


def test_a_29_february_today_still_bounds_the_age_limit() -> None:
    leap_day = date(2024, 2, 29)
    assert validate_birth_date("1894-02-28", leap_day) == date(1894, 2, 28)
    with pytest.raises(ValidationErrors):
        validate_birth_date("1894-02-27", leap_day)


@given(st.dates(min_value=date(1892, 1, 10), max_value=TODAY))
def test_every_date_in_the_allowed_range_round_trips_through_its_iso_form(day: date) -> None:
    assert validate_birth_date(day.isoformat(), TODAY) == day


@pytest.mark.parametrize(
    "raw",
    [
        NOW,
        NOW + timedelta(minutes=5),
        NOW - timedelta(days=7),
        "2022-01-10T18:30:00+01:00",
        "2022-01-10T17:30:00Z",
        datetime(2022, 1, 10, 21, 0, tzinfo=REUNION),
    ],
)
def test_aware_sample_times_within_the_window_are_accepted_in_utc(raw: object) -> None:
    sampled = validate_sample_time(raw, NOW)
    assert sampled.tzinfo is UTC
    assert NOW - timedelta(days=7) <= sampled <= NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (datetime(2022, 1, 10, 17, 0), "sampled_at.naive"),  # noqa: DTZ001
        ("2022-01-10T17:00:00", "sampled_at.naive"),
        (NOW + timedelta(minutes=6), "sampled_at.in_future"),
        (NOW - timedelta(days=7, seconds=1), "sampled_at.too_old"),
        ("yesterday", "sampled_at.invalid"),
        (date(2022, 1, 10), "sampled_at.invalid"),
        (None, "sampled_at.required"),
    ],
)
def test_sample_times_outside_the_rules_are_refused(raw: object, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_sample_time(raw, NOW)
    assert codes(exc) == [("sampled_at", code)]


def test_the_window_and_skew_are_configurable() -> None:
    assert validate_sample_time(NOW + timedelta(minutes=9), NOW, skew=timedelta(minutes=10))
    with pytest.raises(ValidationErrors):
        validate_sample_time(NOW - timedelta(days=2), NOW, window=timedelta(days=1))


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        validate_sample_time(NOW, NOW.replace(tzinfo=None))


def test_onset_is_required_with_symptoms_and_refused_without() -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_symptoms_onset(None, True, NOW)
    assert codes(exc) == [("symptoms_onset", "symptoms_onset.required")]
    with pytest.raises(ValidationErrors) as exc:
        validate_symptoms_onset("2022-01-08", False, NOW)
    assert codes(exc) == [("symptoms_onset", "symptoms_onset.without_symptoms")]
    assert validate_symptoms_onset(None, False, NOW) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2022-01-11", "symptoms_onset.after_sample"),
        ("2021-12-10", "symptoms_onset.too_old"),
        ("10/01/2022", "symptoms_onset.invalid"),
    ],
)
def test_onsets_after_the_sample_or_long_before_are_refused(raw: str, code: str) -> None:
    with pytest.raises(ValidationErrors) as exc:
        validate_symptoms_onset(raw, True, NOW)
    assert codes(exc) == [("symptoms_onset", code)]


def test_onsets_from_the_sample_day_back_to_30_days_are_accepted() -> None:
    assert validate_symptoms_onset("2022-01-10", True, NOW) == TODAY
    assert validate_symptoms_onset(date(2021, 12, 11), True, NOW) == date(2021, 12, 11)


def test_the_sample_day_is_read_in_the_pharmacy_time_zone() -> None:
    # 21:30 UTC on the 9th is already the 10th in Réunion (UTC+4), still the 9th in Paris.
    late = datetime(2022, 1, 9, 21, 30, tzinfo=UTC)
    assert validate_symptoms_onset("2022-01-10", True, late, REUNION) == TODAY
    with pytest.raises(ValidationErrors):
        validate_symptoms_onset("2022-01-10", True, late)
