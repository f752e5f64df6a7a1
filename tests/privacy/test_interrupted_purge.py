"""A purge interrupted midway resumes without orphans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from relais.audit.models import AuditEvent
from relais.privacy import forgetting
from relais.privacy.runner import purge
from relais.screening.models import ScreeningVersion
from tests.conftest import make_personas
from tests.privacy.helpers import ACK, Clock, record, settle
from tests.privacy.invariants import orphans

pytestmark = pytest.mark.django_db(transaction=True)


class Crash(RuntimeError):
    """The power cut, injected in the middle of a batch."""


def test_an_interrupted_purge_leaves_whole_batches_and_resumes_without_orphans(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    personas = make_personas()
    owner = personas["owner_a"].actor
    screenings = [record(owner, personas.pharmacy_a.pk, n, clock.now()) for n in range(1, 6)]
    # Patient 1 has two screenings: cleared only once both are purged.
    screenings.append(record(owner, personas.pharmacy_a.pk, 1, clock.advance(hours=2)))
    for screening in screenings:
        settle(screening, ACK, clock.now())
    real_clear = forgetting.clear_patients
    calls = {"n": 0}

    def crash_on_second_batch(ids: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash("interrupted after the versions of batch 2 were deleted")
        return real_clear(ids)

    monkeypatch.setattr(forgetting, "clear_patients", crash_on_second_batch)
    later = clock.now() + dt.timedelta(days=8)
    with pytest.raises(Crash):
        purge(later, size=2)

    assert ScreeningVersion.objects.values("screening_id").distinct().count() == 4
    assert orphans() == []
    assert AuditEvent.objects.filter(action="privacy.data_purged").count() == 1

    monkeypatch.setattr(forgetting, "clear_patients", real_clear)
    report = purge(later, size=2)
    assert report.total("acknowledged") == 4
    assert not ScreeningVersion.objects.exists()
    assert orphans() == []
