"""Privacy test helpers: a clock that can travel, screenings recorded through the service at
the clock's time, and their transmissions settled as the relay would settle them."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from relais.access.actors import Actor
from relais.relay.models import Transmission, TransmissionStatus
from relais.screening.models import Screening
from tests.screening.conftest import nir_with_key

REAL_DATETIME = dt.datetime
# A month safely in the past (real time): its keys may be shredded once its data is gone.
PERIOD = "2026-03"
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


class _SeesRealDatetimes(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, REAL_DATETIME)


class FrozenDatetime(REAL_DATETIME, metaclass=_SeesRealDatetimes):
    """Django's ``timezone.now`` (field defaults included) reads this clock."""

    moment: ClassVar[dt.datetime] = START

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return cls.moment.astimezone(tz) if tz else cls.moment.replace(tzinfo=None)


class Clock:
    def now(self) -> dt.datetime:
        return FrozenDatetime.moment

    def set(self, moment: dt.datetime) -> dt.datetime:
        FrozenDatetime.moment = moment
        return moment

    def advance(self, **delta: float) -> dt.datetime:
        return self.set(FrozenDatetime.moment + dt.timedelta(**delta))


def patient(number: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "last_name": "Lefebvre",
        "first_names": [f"Anne{'e' * number}"],
        "sex": "F",
        "birth_date": f"19{60 + number:02d}-04-1{number % 9}",
        "nir": nir_with_key(f"2{60 + number:02d}0475123{100 + number:03d}"),
        "no_nir_reason": None,
        "email": f"anne{number}@example.org",
        "phone": "06 12 34 56 78",
    }
    body.update(changes)
    return body


def record(
    actor: Actor, pharmacy_id: int, number: int, at: dt.datetime, **patient_changes: Any
) -> Screening:
    from relais.screening.services import record_screening

    body = {
        "patient": patient(number, **patient_changes),
        "test_kind": "rt_pcr",
        "sampled_at": (at - dt.timedelta(minutes=30 + number)).isoformat(),
        "result": "negative",
        "symptoms": False,
        "consent": True,
        "external_ref": f"LGO-{number}",
    }
    return record_screening(actor, pharmacy_id, body, now=at).screening


def settle(screening: Screening, status: str, at: dt.datetime) -> None:
    """Settle the current version's transmission as the relay worker would."""
    screening.refresh_from_db()
    Transmission.objects.filter(
        screening_id=screening.pk, version_number=screening.current_version
    ).update(
        status=status,
        acknowledged_at=at if status == TransmissionStatus.ACKNOWLEDGED else None,
        updated_at=at,
    )


ACK = TransmissionStatus.ACKNOWLEDGED
REJECTED = TransmissionStatus.REJECTED
DEAD = TransmissionStatus.DEAD
