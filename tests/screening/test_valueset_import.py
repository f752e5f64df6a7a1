"""`relais valuesets import FILE` with the shared EU example files, and updates."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.access.actors import SYSTEM
from relais.access.errors import AccessDeniedError
from relais.audit.models import AuditEvent
from relais.screening.models import ValueSetEntry
from relais.screening.models.valuesets import DEVICE_VALUE_SET
from relais.screening.services import import_value_set
from relais.screening.valuesets import device_lookup
from tests.conftest import Personas
from tests.screening.conftest import PANBIO, VALUESETS, load_value_set

EXAMPLE = VALUESETS / "test-manf-example.json"


def _import(path: Path) -> str:
    out = StringIO()
    call_command("valuesets", "import", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_example_device_list_imports_every_device_with_its_state() -> None:
    output = _import(EXAMPLE)
    document = load_value_set("test-manf-example.json")
    assert f"{len(document['valueSetValues'])} added" in output
    inactive = {c for c, v in document["valueSetValues"].items() if not v["active"]}
    stored = ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET)
    assert set(stored.filter(active=False).values_list("code", flat=True)) == inactive
    assert device_lookup(PANBIO) is not None and device_lookup(PANBIO).active  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="admin.valueset_imported").count() == 1


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing() -> None:
    _import(EXAMPLE)
    output = _import(EXAMPLE)
    assert "0 added, 0 updated, 0 deactivated" in output


@pytest.mark.django_db
def test_an_update_that_drops_or_withdraws_a_device_deactivates_it(tmp_path: Path) -> None:
    _import(EXAMPLE)
    document = load_value_set("test-manf-example.json")
    dropped = document["valueSetValues"].pop("1833")
    assert dropped["active"] is True
    document["valueSetValues"][PANBIO]["active"] = False
    update = tmp_path / "update.json"
    update.write_text(json.dumps(document), encoding="utf-8")
    output = _import(update)
    assert "2 deactivated" in output
    assert device_lookup("1833").active is False  # type: ignore[union-attr]
    assert device_lookup(PANBIO).active is False  # type: ignore[union-attr]


@pytest.mark.django_db
def test_test_type_and_result_sets_import_too() -> None:
    _import(VALUESETS / "test-type.json")
    _import(VALUESETS / "test-result.json")
    assert set(ValueSetEntry.objects.values_list("code", flat=True)) == {
        "LP6464-4",
        "LP217198-3",
        "260415000",
        "260373001",
    }


@pytest.mark.django_db
def test_a_file_that_is_not_a_value_set_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"valueSetId": "something-else", "valueSetValues": {}}', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown valueSetId"):
        _import(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _import(bad)
    assert not ValueSetEntry.objects.exists()


def test_pharmacy_staff_cannot_import_value_sets(personas: Personas) -> None:
    with pytest.raises(AccessDeniedError):
        import_value_set(personas["owner_a"].actor, load_value_set("test-type.json"))
    assert import_value_set(SYSTEM, load_value_set("test-type.json")).added == 2
