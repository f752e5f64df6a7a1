"""Guards: personal data is reached only through services, and every service is audited.

1. Every public function of every ``relais/**/services*.py`` module is a ``@service`` (the
   decorator refuses at run time to commit a call that wrote no audit event).
2. Presentation code — views, URL modules, forms, API endpoints and schemas, template tags —
   never imports a model that declares an ``EncryptedField``: reading decrypted personal
   data from there would bypass the services and so the audit log. It is an import check
   (ast), so it is cheap and precise, and it cannot see a model reached by attribute
   chains (``screening.patient``) on objects a service handed over; services return read
   shapes (dataclasses), which is what keeps that path closed too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import relais
from relais.vault.fields import models_with_encrypted_fields

ROOT = Path(relais.__file__).parent
PRESENTATION = ("views", "urls", "forms", "endpoints", "api", "schemas", "templatetags")


def _module_name(path: Path) -> str:
    return ".".join(("relais", *path.relative_to(ROOT).with_suffix("").parts))


def service_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(relais.__path__, "relais."):
        leaf = info.name.rsplit(".", 1)[-1]
        inside = ".services." in info.name
        if info.name != "relais.core.services" and (leaf.startswith("services") or inside):
            names.append(info.name)
    return names


def test_every_public_function_of_every_services_module_is_an_audited_service() -> None:
    names = service_modules()
    assert "relais.audit.services_upkeep" in names
    undecorated = []
    for name in names:
        module = importlib.import_module(name)
        for function_name, func in inspect.getmembers(module, inspect.isfunction):
            public = func.__module__ == name and not function_name.startswith("_")
            if public and not getattr(func, "__relais_service__", False):
                undecorated.append(f"{name}.{function_name}")
    assert undecorated == []


def _presentation_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "management" in parts:
            continue
        stem = path.stem
        if any(stem.startswith(prefix) for prefix in PRESENTATION) or "templatetags" in parts:
            files.append(path)
    return files


def encrypted_model_imports(source: str, module: str) -> list[str]:
    """``module.Name`` imports (absolute or relative) that are models with encrypted fields."""
    encrypted = {(m.__module__, m.__name__) for m in models_with_encrypted_fields()}
    encrypted_modules = {name for name, _ in encrypted}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.rsplit(".", node.level)[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                target = _resolve(base, alias.name)
                if target in encrypted or f"{base}.{alias.name}" in encrypted_modules:
                    found.append(f"{base}.{alias.name}")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in encrypted_modules]
    return found


def _resolve(base: str, name: str) -> tuple[str, str] | None:
    try:
        value = getattr(importlib.import_module(base), name, None)
    except ImportError:
        return None
    if inspect.isclass(value):
        return (value.__module__, value.__name__)
    return None


def test_the_encrypted_models_are_known_to_the_guard() -> None:
    names = {m.__name__ for m in models_with_encrypted_fields()}
    assert {"Patient", "ScreeningVersion"} <= names


def test_no_view_url_form_or_endpoint_imports_an_encrypted_model() -> None:
    files = _presentation_files()
    assert any(path.name == "views.py" for path in files)
    offenders = {}
    for path in files:
        found = encrypted_model_imports(path.read_text(encoding="utf-8"), _module_name(path))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_import_guard_catches_a_view_reading_patients_directly() -> None:
    sources = [
        "from relais.screening.models import Patient\n",
        "from relais.screening.models.patient import Patient as P\n",
        "from ..models import Patient\n",
    ]
    for source in sources:
        assert encrypted_model_imports(source, "relais.screening.views.pages") != [], source
    assert encrypted_model_imports("from relais.pharmacies.models import Pharmacy\n", "x") == []
