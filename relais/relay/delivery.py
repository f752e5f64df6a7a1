"""One claimed batch: build, deliver, and turn the platform's answer into outcomes.

A request refused as a whole (400/413/422) is split in halves and retried at once, so one
malformed message is isolated and rejected alone instead of holding the others; a single
message refused that way is rejected with the platform's reasons (permanent).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from relais.relay.building import Prepared, encode
from relais.relay.messages import CanonicalScreening, MessageBuildError
from relais.relay.models import Transmission
from relais.relay.services.outcomes import Outcome, Platform
from relais.relay.transport import Answered, Delivery, Failed, RefusedWhole, Transport

Item = tuple[Transmission, CanonicalScreening]


@dataclass(slots=True)
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)
    answered: bool | None = None
    retry_after: float | None = None

    def note(self, delivery: Delivery) -> None:
        """Fold one request's behaviour into the batch's verdict for the circuit breaker."""
        if isinstance(delivery, Failed):
            self.answered = False
            if delivery.retry_after is not None:
                self.retry_after = max(self.retry_after or 0.0, delivery.retry_after)
        elif self.answered is None:
            self.answered = True

    @property
    def platform(self) -> Platform:
        return Platform(self.answered, self.retry_after)


def deliver_prepared(transport: Transport, prepared: Prepared) -> BatchResult:
    result = BatchResult()
    for transmission_id, failure in prepared.failures.items():
        kind = "retry" if failure.verdict == "retry" else failure.verdict
        reasons = (failure.error,) if failure.verdict == "rejected" else ()
        result.outcomes.append(Outcome(transmission_id, kind, reasons=reasons, error=failure.error))
    for message_format, items in prepared.by_format.items():
        _deliver(transport, message_format, items, result)
    return result


def _deliver(
    transport: Transport, message_format: str, items: Sequence[Item], result: BatchResult
) -> None:
    try:
        body = encode(message_format, [canonical for _, canonical in items], uuid.uuid4().hex)
    except MessageBuildError:
        if len(items) > 1:
            _bisect(transport, message_format, items, result)
        else:
            reason = "relais: the message failed its schema check"
            result.outcomes.append(
                Outcome(items[0][0].pk, "rejected", reasons=(reason,), error=reason)
            )
        return
    delivery = transport.deliver(message_format, body)
    result.note(delivery)
    if isinstance(delivery, RefusedWhole) and len(items) > 1:
        _bisect(transport, message_format, items, result)
        return
    result.outcomes.extend(_outcomes(items, delivery))


def _bisect(
    transport: Transport, message_format: str, items: Sequence[Item], result: BatchResult
) -> None:
    middle = len(items) // 2
    _deliver(transport, message_format, items[:middle], result)
    _deliver(transport, message_format, items[middle:], result)


def _outcomes(items: Sequence[Item], delivery: Delivery) -> list[Outcome]:
    if isinstance(delivery, Failed):
        return [
            Outcome(row.pk, "retry", error=delivery.error, retry_after=delivery.retry_after)
            for row, _ in items
        ]
    if isinstance(delivery, RefusedWhole):
        reasons = delivery.reasons or ("request refused by the platform",)
        return [Outcome(row.pk, "rejected", reasons=reasons) for row, _ in items]
    return [_from_ack(row, delivery) for row, _ in items]


def _from_ack(row: Transmission, delivery: Answered) -> Outcome:
    ack = delivery.acks.get(str(row.message_id))
    if ack is None:
        return Outcome(row.pk, "retry", error="no acknowledgement for this message")
    if ack.accepted:
        return Outcome(row.pk, "acknowledged", reference=ack.reference)
    return Outcome(row.pk, "rejected", reasons=ack.reasons or ("rejected without reason",))
