"""Billing months are Europe/Paris calendar months; instants are stored in UTC.

Paris changes time at 02:00/03:00, never at midnight, so a month always starts at a real
local midnight; its length in hours varies (743 h in March, 745 h in October).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class MonthError(ValueError):
    """Not a YYYY-MM month."""


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.match(text.strip())
        if not match:
            raise MonthError(f"expected a month as YYYY-MM, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def days(self) -> list[dt.date]:
        end = self.next().first_day
        count = (end - self.first_day).days
        return [self.first_day + dt.timedelta(days=n) for n in range(count)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the month as aware instants (Paris midnight to Paris midnight)."""
        return paris_midnight(self.first_day), paris_midnight(self.next().first_day)


def paris_midnight(day: dt.date) -> dt.datetime:
    """Midnight in Paris as a UTC instant (arithmetic on Paris-aware datetimes ignores DST)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=PARIS).astimezone(dt.UTC)


def paris_day(moment: dt.datetime) -> dt.date:
    """The Paris calendar day of an aware instant: the day a unit is billed on."""
    if moment.tzinfo is None:
        raise ValueError("billing needs aware datetimes")
    return moment.astimezone(PARIS).date()


def current_month(now: dt.datetime) -> Month:
    return Month.of(paris_day(now))
