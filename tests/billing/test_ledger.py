"""The usage ledger: what is billable, on which day, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest

from relais.billing.ledger import run_usage_job
from relais.billing.models import UsageRecord
from relais.billing.periods import Month
from relais.billing.services import prepare_statement, record_usage, set_contract
from relais.pharmacies.models import Pharmacy
from relais.relay.models import TransmissionStatus
from relais.relay.services.replay import replay_transmission
from tests.billing.conftest import SYSTEM, paris, settle

pytestmark = pytest.mark.django_db


def test_a_screening_recorded_in_january_and_acknowledged_in_february_is_billed_in_february(
    pharmacy: Pharmacy,
) -> None:
    settle(pharmacy, paris(2026, 2, 1, 0, 1), created_at=paris(2026, 1, 31, 23, 59))
    january = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 1))
    february = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 2))
    assert (january.units, february.units) == (0, 1)
    assert february.lines.get().day == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("acknowledged", "month"),
    [
        (paris(2026, 3, 31, 23, 59, 59), Month(2026, 3)),
        (paris(2026, 4, 1, 0, 0, 0), Month(2026, 4)),
        (paris(2026, 10, 31, 23, 59, 59), Month(2026, 10)),
        (paris(2026, 11, 1, 0, 0, 0), Month(2026, 11)),
        (paris(2026, 2, 28, 23, 59, 59), Month(2026, 2)),
        (paris(2026, 3, 1, 0, 0, 0), Month(2026, 3)),
        (paris(2026, 9, 30, 23, 59, 59), Month(2026, 9)),
        (paris(2026, 10, 1, 0, 0, 0), Month(2026, 10)),
    ],
)
def test_months_change_at_midnight_paris_time_in_summer_and_in_winter(
    pharmacy: Pharmacy, acknowledged: dt.datetime, month: Month
) -> None:
    settle(pharmacy, acknowledged)
    assert prepare_statement(SYSTEM, pharmacy.pk, month).units == 1
    assert prepare_statement(SYSTEM, pharmacy.pk, month.previous()).units == 0
    assert prepare_statement(SYSTEM, pharmacy.pk, month.next()).units == 0


def test_the_nights_of_the_clock_changes_bill_each_unit_on_its_paris_day(
    pharmacy: Pharmacy,
) -> None:
    utc = dt.UTC
    for instant in (
        dt.datetime(2026, 3, 28, 22, 30, tzinfo=utc),  # 23:30 on the 28th (CET)
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=utc),  # 01:30 on the 29th, before the change
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=utc),  # 03:30 on the 29th, after it (CEST)
        dt.datetime(2026, 3, 29, 22, 30, tzinfo=utc),  # 00:30 on the 30th (CEST)
    ):
        settle(pharmacy, instant)
    march = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 3))
    assert [(line.day.day, line.units) for line in march.lines.all()] == [(28, 1), (29, 2), (30, 1)]
    for instant in (
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=utc),  # 02:30 CEST on the 25th
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=utc),  # 02:30 CET on the 25th (the hour again)
        dt.datetime(2026, 10, 25, 23, 0, tzinfo=utc),  # 00:00 on the 26th (CET)
    ):
        settle(pharmacy, instant)
    october = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 10))
    assert [(line.day.day, line.units) for line in october.lines.all()] == [(25, 2), (26, 1)]


def test_a_replayed_message_is_the_same_transmission_and_is_billed_once(
    pharmacy: Pharmacy,
) -> None:
    transmission = settle(pharmacy, paris(2026, 5, 4, 10, 0), status=TransmissionStatus.DEAD)
    assert run_usage_job() == 0  # a dead transmission is not billed (it may be replayed)
    replay_transmission(SYSTEM, transmission.pk)
    transmission.refresh_from_db()
    message_id = transmission.message_id
    for acknowledged in (paris(2026, 5, 4, 11, 0), paris(2026, 6, 2, 9, 0)):
        # The platform acknowledges the same message id again (a replay after a lost answer).
        transmission.status = TransmissionStatus.ACKNOWLEDGED
        transmission.acknowledged_at = acknowledged
        transmission.save()
        run_usage_job()
        record_usage(SYSTEM)
    assert UsageRecord.objects.filter(transmission__message_id=message_id).count() == 1
    assert prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 5)).units == 1
    assert prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 6)).units == 0


def test_corrections_cancellations_and_rejections_are_not_billed_by_default(
    pharmacy: Pharmacy,
) -> None:
    settle(pharmacy, paris(2026, 5, 4, 10, 0))
    settle(pharmacy, paris(2026, 5, 4, 11, 0), version_number=2)
    settle(pharmacy, paris(2026, 5, 4, 12, 0), version_number=3)
    settle(pharmacy, paris(2026, 5, 4, 13, 0), status=TransmissionStatus.REJECTED)
    assert prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 5)).units == 1
    assert UsageRecord.objects.count() == 4  # every settled one is explained in the ledger
    assert sorted(UsageRecord.objects.values_list("units", flat=True)) == [0, 0, 0, 1]


def test_a_contract_may_bill_corrections_and_rejections(pharmacy: Pharmacy) -> None:
    set_contract(
        SYSTEM, pharmacy.pk, dt.date(2026, 1, 1), bill_later_versions=True, bill_rejected=True
    )
    settle(pharmacy, paris(2026, 5, 4, 10, 0))
    settle(pharmacy, paris(2026, 5, 4, 11, 0), version_number=2)
    settle(pharmacy, paris(2026, 5, 4, 13, 0), status=TransmissionStatus.REJECTED)
    settle(pharmacy, paris(2026, 5, 4, 14, 0), status=TransmissionStatus.DEAD)
    assert prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 5)).units == 3


def test_the_worker_job_records_usage_once_and_then_has_nothing_to_do(pharmacy: Pharmacy) -> None:
    settle(pharmacy, paris(2026, 5, 4, 10, 0))
    settle(pharmacy, paris(2026, 5, 4, 11, 0), status=TransmissionStatus.QUEUED)
    assert run_usage_job() == 1
    assert run_usage_job() == 0
    assert UsageRecord.objects.get().units == 1


def test_a_batch_another_worker_already_wrote_is_skipped_row_by_row(pharmacy: Pharmacy) -> None:
    from relais.billing.ledger import pending_transmissions, settled_rows, write_usage

    first = settle(pharmacy, paris(2026, 5, 4, 10, 0))
    seen_by_both = settled_rows(pending_transmissions())  # two workers read the same rows
    settle(pharmacy, paris(2026, 5, 4, 11, 0), status=TransmissionStatus.REJECTED)
    write_usage(seen_by_both)
    write_usage(settled_rows(pending_transmissions()) + seen_by_both)  # a twin in the batch
    rows = UsageRecord.objects.order_by("settled_at")
    assert [(r.transmission_id == first.pk, r.outcome, r.units) for r in rows] == [
        (True, "acknowledged", 1),
        (False, "rejected", 0),
    ]
    assert rows[0].billable_on == dt.date(2026, 5, 4)
    assert rows[0].recorded_at is not None


def test_recording_usage_is_an_operator_action(personas: object) -> None:
    from relais.access.errors import AccessDeniedError

    owner = personas["owner_a"]  # type: ignore[index]
    with pytest.raises(AccessDeniedError):
        record_usage(owner.actor)
