"""CPU time of the processes serving a load, read from /proc (Linux): where a request's
cost goes — the server, PostgreSQL's backends, the load generator — so a throughput
figure can be checked against the 2 cores it is bounded by."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = {"server": "relais serve", "postgresql": "postgres: "}
Snapshot = dict[int, tuple[str, float]]


def snapshot() -> Snapshot:
    """CPU seconds so far of every process of a known group, by pid."""
    found: Snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        group = next((name for name, mark in GROUPS.items() if mark in command), None)
        if group is None:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (group, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def spent(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds each group spent between two snapshots (processes started meanwhile
    count from zero; those that ended meanwhile are lost, which the server's are not)."""
    totals: dict[str, float] = defaultdict(float)
    for pid, (group, seconds) in after.items():
        earlier = before.get(pid)
        totals[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
    return dict(totals)
