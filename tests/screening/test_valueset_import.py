"""The EU value sets ship with Relais; `relais valuesets import FILE` brings updates."""

from __future__ import annotations

import json
from datetime import date
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
from relais.screening.shipped import load_shipped_value_sets
from relais.screening.valuesets import active_devices, device_lookup
from tests.conftest import Personas
from tests.screening.conftest import PANBIO, load_value_set


def _import(path: Path) -> str:
    out = StringIO()
    call_command("valuesets", "import", str(path), stdout=out)
    return out.getvalue()


def _write(tmp_path: Path, document: object, name: str = "update.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_migrated_database_holds_the_shipped_device_list_with_each_state() -> None:
    document = load_value_set("test-manf-example.json")
    stored = ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET)
    assert stored.count() == len(document["valueSetValues"]) == 88
    inactive = {c for c, v in document["valueSetValues"].items() if not v["active"]}
    assert set(stored.filter(active=False).values_list("code", flat=True)) == inactive
    assert len(active_devices()) == 86
    assert device_lookup(PANBIO) is not None and device_lookup(PANBIO).active  # type: ignore[union-attr]


@pytest.mark.django_db
def test_test_types_results_and_the_disease_agent_ship_too() -> None:
    assert set(
        ValueSetEntry.objects.exclude(value_set=DEVICE_VALUE_SET).values_list("code", flat=True)
    ) == {"LP6464-4", "LP217198-3", "260415000", "260373001", "840539006"}


@pytest.mark.django_db
def test_migrating_again_keeps_a_newer_list_the_operator_imported(tmp_path: Path) -> None:
    document = load_value_set("test-manf-example.json")
    document["valueSetDate"] = "2030-01-01"
    document["valueSetValues"][PANBIO]["active"] = False
    _import(_write(tmp_path, document))
    load_shipped_value_sets()
    assert device_lookup(PANBIO).active is False  # type: ignore[union-attr]
    assert ValueSetEntry.objects.get(code=PANBIO).value_set_date == date(2030, 1, 1)


@pytest.mark.django_db
def test_an_empty_device_table_is_filled_again_by_the_shipped_list() -> None:
    ValueSetEntry.objects.all().delete()
    load_shipped_value_sets()
    assert ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET, active=True).count() == 86


@pytest.mark.django_db
def test_importing_the_shipped_file_again_changes_nothing_and_is_audited(tmp_path: Path) -> None:
    output = _import(_write(tmp_path, load_value_set("test-manf-example.json")))
    assert "0 added, 0 updated, 0 deactivated, 88 unchanged" in output
    assert AuditEvent.objects.filter(action="admin.valueset_imported").count() == 1


@pytest.mark.django_db
def test_an_update_reports_each_code_it_adds_drops_or_withdraws(tmp_path: Path) -> None:
    document = load_value_set("test-manf-example.json")
    dropped = document["valueSetValues"].pop("1833")
    assert dropped["active"] is True
    document["valueSetValues"][PANBIO]["active"] = False
    document["valueSetValues"]["9999"] = {"display": "Newco, Quick Ag", "active": True}
    output = _import(_write(tmp_path, document))
    assert "1 added, 0 updated, 2 deactivated" in output
    assert "added: 9999" in output
    assert f"deactivated: {PANBIO}, 1833" in output
    assert device_lookup("1833").active is False  # type: ignore[union-attr]
    assert device_lookup(PANBIO).active is False  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_malformed_file_is_refused_in_one_line_and_imports_nothing(tmp_path: Path) -> None:
    before = list(ValueSetEntry.objects.order_by("pk").values_list("code", "label", "active"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"valueSetId": "something-else", "valueSetValues": {}}', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown valueSetId"):
        _import(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _import(bad)
    # A bad entry after good ones: the good ones before it are not kept either.
    document = load_value_set("test-manf-example.json")
    document["valueSetValues"][PANBIO]["display"] = "Renamed first"
    document["valueSetValues"]["zz-last"] = {"display": "", "active": True}
    with pytest.raises(CommandError) as refused:
        _import(_write(tmp_path, document))
    assert "\n" not in str(refused.value) and "zz-last" in str(refused.value)
    after = list(ValueSetEntry.objects.order_by("pk").values_list("code", "label", "active"))
    assert after == before


def test_pharmacy_staff_cannot_import_value_sets(personas: Personas) -> None:
    with pytest.raises(AccessDeniedError):
        import_value_set(personas["owner_a"].actor, load_value_set("test-type.json"))
    assert import_value_set(SYSTEM, load_value_set("test-type.json")).counts()["unchanged"] == 2
