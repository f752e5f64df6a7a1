"""Backoff with full jitter stays within its bounds; Retry-After is honoured and bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from relais.relay.policy import MAX_RETRY_AFTER_SECONDS, RetryPolicy, parse_retry_after

POLICY = RetryPolicy(base_seconds=1.0, cap_seconds=60.0, max_attempts=5)


@given(st.integers(min_value=0, max_value=10_000))
def test_a_backoff_delay_is_between_zero_and_the_capped_exponential_ceiling(attempts: int) -> None:
    delay = POLICY.delay(attempts)
    assert 0.0 <= delay <= POLICY.ceiling(attempts) <= 60.0


def test_the_ceiling_doubles_with_each_attempt_until_the_cap() -> None:
    assert [POLICY.ceiling(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_full_jitter_spreads_delays_rather_than_repeating_one_value() -> None:
    delays = {round(POLICY.delay(6), 3) for _ in range(50)}
    assert len(delays) > 10


@given(st.integers(min_value=1, max_value=20), st.floats(min_value=0, max_value=10_000))
def test_a_retry_after_is_a_floor_on_the_delay(attempts: int, retry_after: float) -> None:
    delay = POLICY.delay(attempts, retry_after)
    assert delay >= min(retry_after, MAX_RETRY_AFTER_SECONDS)
    assert delay <= max(POLICY.ceiling(attempts), MAX_RETRY_AFTER_SECONDS)


def test_attempts_are_exhausted_at_the_maximum() -> None:
    assert not POLICY.exhausted(4)
    assert POLICY.exhausted(5)


def test_retry_after_reads_delta_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    in_ninety = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(in_ninety, now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0.0


@given(st.text(max_size=40))
def test_retry_after_never_fails_on_garbage_and_stays_bounded(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or 0.0 <= seconds <= MAX_RETRY_AFTER_SECONDS


def test_a_huge_retry_after_is_capped_at_an_hour() -> None:
    assert parse_retry_after("999999999") == MAX_RETRY_AFTER_SECONDS
    assert parse_retry_after(None) is None
    assert parse_retry_after("  ") is None
