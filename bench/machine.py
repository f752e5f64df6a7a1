"""The machine a run measured: reported beside every table so figures are read in context."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.stack import Stack


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = result.stdout.strip() or "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def postgres_info(stack: Stack) -> dict[str, str]:
    with stack.connect() as conn:
        version = conn.execute("SHOW server_version").fetchone()
        fsync = conn.execute("SHOW fsync").fetchone()
        sync_commit = conn.execute("SHOW synchronous_commit").fetchone()
    return {
        "postgresql": str(version[0]) if version else "unknown",
        "fsync": str(fsync[0]) if fsync else "unknown",
        "synchronous_commit": str(sync_commit[0]) if sync_commit else "unknown",
    }


def describe(stack: Stack) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": cpu_model(),
        "memory_gib": round(memory_gib(), 1),
        "python": platform.python_version(),
        **postgres_info(stack),
        "git_commit": git_commit(),
        "server": stack.server.describe(),
    }
