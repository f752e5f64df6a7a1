#!/usr/bin/env python3
"""Take the PNG screenshots of the main screens into docs/screenshots/.

It walks the same screens as the accessibility test (tests/a11y/test_axe.py) in Debian's
chromium against a live test server with demo-like data, so the screenshots always show
the screens as they are tested. Usage: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    target = ROOT / "docs" / "screenshots"
    env = {**os.environ, "RELAIS_SCREENSHOTS": str(target)}
    command = [
        str(ROOT / ".venv" / "bin" / "pytest"),
        "-q",
        "tests/a11y/test_axe.py",
        "-k",
        "fr",
    ]
    return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603 - our own fixed command


if __name__ == "__main__":
    sys.exit(main())
