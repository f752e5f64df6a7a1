"""Guard: nothing in the project reads outside its repository.

A user's clone has no sibling folder: data the project needs is copied into it, with its
licence (the EU value sets live in `relais/screening/data/`).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOTS = ".."
# A sibling folder named in a string, relative or joined with pathlib.
NAMED_SIBLING = re.compile(re.escape(DOTS + "/shared") + r"""|["']shared["']\s*/""")
# `Path(__file__)…` followed by `.parent`s and `.parents[n]`: how far up does it climb?
FILE_ANCHOR = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?((?:\.parents?(?:\[\d+\])?)+)")
CHECKED_SUFFIXES = {".py", ".sh", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".json", ""}


SKIPPED_DIRS = {".git", ".venv", ".tools", "var", "__pycache__", "node_modules", ".mypy_cache"}
SKIPPED_DIRS |= {".ruff_cache", ".hypothesis", "results"}


def _project_files() -> list[Path]:
    """Every file of the checkout (CI runs from a copy without `.git`), minus built ones."""
    return [
        path
        for path in ROOT.rglob("*")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
        and not path.name.endswith(".md")
    ]


def _levels_climbed(chain: str) -> int:
    levels = 0
    for step in re.findall(r"\.parents?(?:\[\d+\])?", chain):
        index = re.search(r"\[(\d+)\]", step)
        levels += int(index.group(1)) + 1 if index else 1
    return levels


def _leaves_repository(path: Path, line: str) -> bool:
    """Whether `line` of `path` names a sibling folder or climbs above the repository."""
    if NAMED_SIBLING.search(line):
        return True
    depth = len(path.relative_to(ROOT).parts)  # that many `.parent`s is the repository itself
    return any(_levels_climbed(m.group(1)) > depth for m in FILE_ANCHOR.finditer(line))


def test_no_file_of_the_project_refers_to_a_folder_beside_the_repository() -> None:
    offenders = []
    for path in _project_files():
        if path.suffix not in CHECKED_SUFFIXES or not path.is_file() or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if _leaves_repository(path, line)
        ]
    assert offenders == []


def test_the_guard_recognises_the_ways_a_sibling_folder_is_reached() -> None:
    here = ROOT / "tests" / "api" / "conftest.py"
    assert _leaves_repository(here, 'VALUES = "' + DOTS + '/shared/data/x.json"')
    assert _leaves_repository(here, 'Path(__file__).resolve().parents[2].parent / "data"')
    assert _leaves_repository(here, "Path(__file__).parent.parent.parent.parent / 'x'")
    assert not _leaves_repository(here, 'Path(__file__).resolve().parents[2] / "relais"')
    assert not _leaves_repository(here, "Path(__file__).parent.parent / 'relay'")
    assert not _leaves_repository(here, 'resources.files("relais.screening") / "data"')
