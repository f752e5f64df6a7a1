"""The run's outputs: the Markdown table, the JSON document, ``latest.md``; old runs pruned."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bench.figures import Figure, Limit, Unavailable, number_text, target_text

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_RUN_FILE = re.compile(r"^\d{8}T\d{6}Z\.(json|md|png)$")
_HEADER = (
    "| Scenario | Figure | Value | Unit | Target | Met? | Machine limit | Ratio |\n"
    "|---|---|---:|---|---|---|---|---:|"
)


def _met_text(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[met]


def _limit_text(limit: Limit | None) -> str:
    if limit is None:
        return "—"
    return f"{number_text(limit.value)} {limit.unit} ({limit.label})"


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def figure_row(figure: Figure) -> str:
    name = figure.name + (f" — {figure.note}" if figure.note else "")
    cells = [
        figure.scenario,
        name,
        number_text(figure.value),
        figure.unit,
        target_text(figure),
        _met_text(figure.met),
        _limit_text(figure.limit),
        _ratio_text(figure.ratio),
    ]
    return "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"


def render_table(
    figures: list[Figure], unavailable: list[Unavailable], limits: dict[str, Limit]
) -> str:
    """The report printed to stdout and written to ``<timestamp>.md``."""
    lines = [_HEADER, *(figure_row(f) for f in figures)]
    if unavailable:
        lines += ["", "Not measured in this run:", ""]
        lines += [f"- **{u.scenario}**: {u.reason}" for u in unavailable]
    lines += ["", "Machine limits measured in the same run:", ""]
    lines += [
        f"- {limit.label}: {number_text(limit.value)} {limit.unit}" for limit in limits.values()
    ]
    lines += [
        "",
        "Ratio = share of the machine limit reached: Relais ÷ limit for rates, "
        "limit ÷ Relais for costs and latencies (1.00 = as fast as the raw primitive).",
    ]
    return "\n".join(lines) + "\n"


def render_latest(table: str, machine: dict[str, Any], command: str, stamp: str) -> str:
    """``latest.md``: the table, the machine and the exact command that produced it."""
    facts = "\n".join(f"- {key}: {value}" for key, value in machine.items())
    return (
        f"# Relais benchmarks — latest run ({stamp})\n\n"
        f"Command: `{command}`\n\n{table}\n## Machine\n\n{facts}\n\n"
        f"Chart: `{stamp}.png`; raw figures: `{stamp}.json`.\n"
    )


def document(
    *,
    stamp: str,
    command: str,
    quick: bool,
    machine: dict[str, Any],
    figures: list[Figure],
    unavailable: list[Unavailable],
    limits: dict[str, Limit],
    extra: dict[str, Any],
) -> dict[str, Any]:
    return {
        "timestamp": stamp,
        "mode": "quick" if quick else "full",
        "command": command,
        "machine": machine,
        "limits": [limit.__dict__ for limit in limits.values()],
        "figures": [f.to_json() for f in figures],
        "unavailable": [u.__dict__ for u in unavailable],
        **extra,
    }


def write_run(
    stamp: str, table: str, latest: str, doc: dict[str, Any], results_dir: Path = RESULTS_DIR
) -> None:
    """Write this run's files and ``latest.md``; remove the files of earlier runs."""
    results_dir.mkdir(parents=True, exist_ok=True)
    for old in results_dir.iterdir():
        if _RUN_FILE.match(old.name) and not old.name.startswith(stamp):
            old.unlink()
    (results_dir / f"{stamp}.md").write_text(table)
    (results_dir / f"{stamp}.json").write_text(json.dumps(doc, indent=2, default=str) + "\n")
    (results_dir / "latest.md").write_text(latest)
