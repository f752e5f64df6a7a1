"""Paris months across the daylight-saving changes, and VAT rounding in integer cents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.billing.money import euros, percent, vat_cents
from relais.billing.periods import Month, MonthError, paris_day

UTC = dt.UTC


def test_march_2026_lasts_one_hour_less_because_of_the_spring_change() -> None:
    start, end = Month(2026, 3).bounds()
    assert start == dt.datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=31 * 24 - 1)


def test_october_2026_lasts_one_hour_more_because_of_the_autumn_change() -> None:
    start, end = Month(2026, 10).bounds()
    assert start == dt.datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=31 * 24 + 1)


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        # The night of the spring change (Sunday 29 March 2026, 02:00 → 03:00).
        (dt.datetime(2026, 3, 28, 22, 59, tzinfo=UTC), dt.date(2026, 3, 28)),
        (dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC), dt.date(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 21, 59, tzinfo=UTC), dt.date(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC), dt.date(2026, 3, 30)),
        # The end of March, in summer time: midnight is 22:00 UTC.
        (dt.datetime(2026, 3, 31, 21, 59, tzinfo=UTC), dt.date(2026, 3, 31)),
        (dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC), dt.date(2026, 4, 1)),
        # The night of the autumn change (Sunday 25 October 2026, 03:00 → 02:00).
        (dt.datetime(2026, 10, 24, 21, 59, tzinfo=UTC), dt.date(2026, 10, 24)),
        (dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC), dt.date(2026, 10, 26)),
        # The end of October, in winter time: midnight is 23:00 UTC.
        (dt.datetime(2026, 10, 31, 22, 59, tzinfo=UTC), dt.date(2026, 10, 31)),
        (dt.datetime(2026, 10, 31, 23, 0, tzinfo=UTC), dt.date(2026, 11, 1)),
    ],
)
def test_an_instant_is_billed_on_its_paris_calendar_day(instant: dt.datetime, day: dt.date) -> None:
    assert paris_day(instant) == day


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        paris_day(dt.datetime(2026, 1, 1))  # noqa: DTZ001


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_month_round_trips_through_its_text(year: int, month: int) -> None:
    parsed = Month.parse(str(Month(year, month)))
    assert parsed == Month(year, month)
    assert parsed.next().previous() == parsed
    assert len(parsed.days()) in {28, 29, 30, 31}


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-01", "2026/01", "", "2026-00"])
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(MonthError):
        Month.parse(text)


@pytest.mark.parametrize(
    ("base", "rate", "vat"),
    [(250, 2000, 50), (5, 550, 0), (10, 550, 1), (25, 2000, 5), (1, 5000, 1), (-1, 5000, -1)],
)
def test_vat_is_rounded_half_up_to_the_cent(base: int, rate: int, vat: int) -> None:
    assert vat_cents(base, rate) == vat


@given(st.integers(-(10**9), 10**9), st.integers(0, 10_000))
def test_vat_is_within_half_a_cent_and_a_credit_mirrors_its_charge(base: int, rate: int) -> None:
    exact = Decimal(base) * rate / 10_000
    assert abs(Decimal(vat_cents(base, rate)) - exact) <= Decimal("0.5")
    assert vat_cents(-base, rate) == -vat_cents(base, rate)


def test_amounts_are_written_the_french_way() -> None:
    assert euros(123456789) == "1\u202f234\u202f567,89"
    assert euros(-5) == "-0,05"
    assert percent(2000) == "20"
    assert percent(550) == "5,5"
