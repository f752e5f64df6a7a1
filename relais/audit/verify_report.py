"""The report of an audit-log verification, and how findings become one (pure Python).

Kept apart from ``verify_core`` (which re-exports :class:`VerificationReport`) so that the
streaming verifier stays a readable size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

_MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Outcome of a verification; ``problem`` is empty when ``ok``.

    ``first_bad_position`` is the earliest seal position known to be bad; when only an
    interval is known (a root mismatch with no leaf-level evidence), it is ``None`` and
    ``bad_range`` holds the half-open interval of positions that contains the damage.
    """

    ok: bool
    events_checked: int
    checkpoints_checked: int
    first_bad_position: int | None
    problem: str
    bad_range: tuple[int, int] | None = None
    problems: tuple[str, ...] = ()
    problems_found: int = 0
    events_purged: int = 0
    events_after_last_checkpoint: int = 0


class Counts(NamedTuple):
    events_checked: int
    checkpoints_checked: int
    events_purged: int = 0
    events_after_last_checkpoint: int = 0
    problems_found: int = 0


@dataclass(frozen=True, slots=True)
class Finding:
    message: str
    position: int | None = None
    bad_range: tuple[int, int] | None = None


def build_report(findings: list[Finding], counts: Counts) -> VerificationReport:
    if not findings:
        return VerificationReport(True, first_bad_position=None, problem="", **counts._asdict())
    positioned = [item for item in findings if item.position is not None]
    ranged = [item for item in findings if item.bad_range is not None]
    if positioned:
        lead = min(positioned, key=lambda item: item.position or 0)
    elif ranged:
        lead = min(ranged, key=lambda item: item.bad_range or (0, 0))
    else:
        lead = findings[0]
    listed = tuple(item.message for item in findings[:_MAX_LISTED_PROBLEMS])
    return VerificationReport(
        False,
        first_bad_position=lead.position,
        problem=lead.message,
        bad_range=lead.bad_range,
        problems=listed,
        **counts._asdict(),
    )
