"""The EU value sets shipped inside the package, loaded when the database is migrated.

Like Django's content types, they are reference data every install needs before its first
screening: `relais migrate` (and a test database's flush) leaves them loaded. A shipped file
is applied only where it is newer than what the database holds, so a newer list the
operator imported with `relais valuesets import` is never rolled back by an upgrade.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from relais.screening.models.valuesets import ValueSetEntry
from relais.screening.valuesets import clear_device_cache
from relais.screening.valuesets_apply import apply_value_set, parse_document

SHIPPED_FILES = (
    "test-manf-example.json",
    "test-type.json",
    "test-result.json",
    "disease-agent-targeted.json",
)


def shipped_document(name: str) -> dict[str, Any]:
    """One shipped value-set file, parsed (the files are part of the package)."""
    folder = resources.files("relais.screening") / "data" / "eu-dcc-valuesets"
    document: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    return document


def load_shipped_value_sets(using: str = "default", **_: object) -> None:
    """post_migrate: bring every shipped value set in, unless the database holds one as new."""
    moment = timezone.now()
    with transaction.atomic(using=using):
        for name in SHIPPED_FILES:
            value_set, set_date, entries = parse_document(shipped_document(name))
            stored = ValueSetEntry.objects.using(using).filter(value_set=value_set)
            newest = stored.aggregate(newest=Max("value_set_date"))["newest"]
            if stored.exists() and (newest is None or set_date is None or newest >= set_date):
                continue
            apply_value_set(value_set, set_date, entries, moment, using=using)
    clear_device_cache()
