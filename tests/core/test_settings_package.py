"""The settings package only reads the environment: each setting has one home, and no
settings module imports an app (domain rules are the apps' system checks)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import relais.settings

PACKAGE = Path(relais.settings.__file__).parent
CONCERNS = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def _own_settings(concern: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{concern}.py").read_text(encoding="utf-8"))
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id.isupper() and target.id[0] != "_"
    }


def test_every_setting_is_defined_by_exactly_one_concern() -> None:
    homes: dict[str, list[str]] = {}
    for concern in CONCERNS:
        for name in _own_settings(concern):
            homes.setdefault(name, []).append(concern)
    assert {name: where for name, where in homes.items() if len(where) > 1} == {}
    for name, (concern,) in homes.items():
        value = getattr(importlib.import_module(f"relais.settings.{concern}"), name)
        assert getattr(relais.settings, name) is value, name


def test_settings_import_only_configuration_readers() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("relais")
        ]
        assert all(m.startswith(("relais.conf", "relais.settings")) for m in imported), path
