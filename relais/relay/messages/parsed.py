"""What a receiver reads back from a message: the fields it checks, nothing personal more.

The simulator (and tests) use these to decide accept/reject without holding names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from relais.relay.messages.codes import Action, Result


class MessageBuildError(ValueError):
    """A builder produced a message its own schema check refuses: a bug, never user input
    (the canonical dataclasses already checked the input's shape)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class MessageInvalid(ValueError):
    """A whole document could not be read; `reasons` says why, one reason per problem."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """One screening as read by a receiver. Missing values are None so the receiver can
    reject the message with a reason instead of failing the whole request."""

    message_id: str
    action: Action | None
    result: Result | None
    nir: str | None
    sampled_at: datetime | None
    loinc: str | None
    finess: str | None
    control_id: str | None = None

    @property
    def has_nir(self) -> bool:
        """Whether the patient was identified by an INS-NIR."""
        return self.nir is not None
