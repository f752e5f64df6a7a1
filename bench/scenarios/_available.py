"""Probes of what the code base offers right now, each returning a precise reason or None.

Probes read the source tree instead of importing it: importing an app module needs Django
set up, and a half-written module of a colleague must not stop the run.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import relais

RELAIS_ROOT = Path(relais.__file__).resolve().parent


def _source(module: str) -> Path | None:
    """The file of ``relais.x.y`` (module or package), if it exists."""
    base = RELAIS_ROOT.joinpath(*module.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def missing_module(name: str) -> str | None:
    """None when ``name`` exists (in the tree for ``relais.*``); else why not."""
    if name.startswith("relais."):
        return None if _source(name) else f"{name} not installed yet"
    try:
        found = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        found = None
    return None if found is not None else f"{name} not installed yet"


def missing_attributes(module: str, *names: str) -> str | None:
    """None when ``module`` defines or re-exports every one of ``names``; else the first not."""
    reason = missing_module(module)
    if reason:
        return reason
    path = _source(module)
    text = path.read_text(encoding="utf-8") if path else ""
    for name in names:
        pattern = rf"^(async def|def|class) {name}\b|^{name}\s*[:=]|\bimport\b[^\n]*\b{name}\b"
        if not re.search(pattern, text, re.MULTILINE) and not _in_import_block(text, name):
            return f"{module}.{name} does not exist yet"
    return None


def _in_import_block(text: str, name: str) -> bool:
    """``name`` inside a parenthesised ``from x import (...)`` block."""
    blocks = re.findall(r"^from [\w.]+ import \(([^)]*)\)", text, re.MULTILINE)
    return any(re.search(rf"\b{name}\b", block) for block in blocks)


def missing_command(name: str) -> str | None:
    """None when some app ships the management command ``relais <name>``."""
    file = f"{name.replace('-', '_')}.py"
    if any(RELAIS_ROOT.glob(f"*/management/commands/{file}")):
        return None
    return f"`relais {name}` command does not exist yet"


def first(*reasons: str | None) -> str | None:
    return next((reason for reason in reasons if reason), None)
