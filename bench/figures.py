"""What a benchmark produces: figures with their target and the matching machine limit.

A figure's *ratio* is the share of the machine's raw speed that Relais reaches, so it reads
the same way for rates and for costs: 1.0 means as fast as the raw primitive (psycopg
inserts, AES-GCM, Argon2, SHA-256), 0.25 means a quarter of it. Ratios stay comparable
between a quiet and a noisy machine because both sides are measured in the same run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Limit:
    """A raw measurement of the machine, in the same unit as the figures it is paired with."""

    key: str
    label: str
    value: float
    unit: str
    higher_is_better: bool


@dataclass(frozen=True)
class Figure:
    """One measured number of one scenario."""

    scenario: str
    name: str
    value: float
    unit: str
    higher_is_better: bool
    target: float | None = None
    limit: Limit | None = None
    note: str = ""
    # Why the target cannot count as met whatever the value (e.g. requests failed).
    disqualified: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None without a target; never when disqualified."""
        if self.target is None:
            return None
        if self.disqualified:
            return False
        if self.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target

    @property
    def ratio(self) -> float | None:
        """Share of the machine limit reached (see module docstring); None without a limit."""
        return ratio(self.value, self.limit, higher_is_better=self.higher_is_better)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["met"] = self.met
        data["ratio"] = self.ratio
        return data


@dataclass(frozen=True)
class Unavailable:
    """A scenario that could not run, with the precise reason (never a made-up figure)."""

    scenario: str
    reason: str


def ratio(value: float, limit: Limit | None, *, higher_is_better: bool) -> float | None:
    """Relais ÷ limit for rates, limit ÷ Relais for costs and latencies."""
    if limit is None or value <= 0 or limit.value <= 0:
        return None
    if limit.higher_is_better != higher_is_better:
        raise ValueError(f"limit {limit.key} and the figure disagree on direction")
    return value / limit.value if higher_is_better else limit.value / value


def target_text(figure: Figure) -> str:
    """'≥ 500' or '≤ 100', in the figure's unit; an empty string without a target."""
    if figure.target is None:
        return ""
    sign = "≥" if figure.higher_is_better else "≤"
    return f"{sign} {number_text(figure.target)}"


def number_text(value: float) -> str:
    """Readable numbers: thousands separated, three significant digits for small values."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"
