"""The child processes of ``relais demo``: extended as the worker and simulator land."""

from __future__ import annotations

import os
from typing import Any


def demo_processes(
    options: dict[str, Any], base_url: str
) -> list[tuple[list[str], dict[str, str]]]:
    env = dict(os.environ)
    return [
        (
            ["serve", "--host", options["host"], "--port", str(options["port"]), "--workers", "2"],
            env,
        ),
    ]
