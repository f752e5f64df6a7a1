"""The counter form: HTML field names ↔ the API body the screening services validate.

Field names are the API paths with dots as underscores (`patient.address.city` →
`address_city`), so an error from the services lands next to its own input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import get_language

from relais.core.fielderrors import FieldError
from relais.core.fielderrors import render as render_error

PARIS = ZoneInfo("Europe/Paris")
IDENTITY_FIELDS = ("last_name", "first_names", "sex", "birth_date", "nir", "no_nir_reason")
CONTACT_FIELDS = ("email", "phone")
ADDRESS_FIELDS = ("line", "postal_code", "city")
TEST_FIELDS = ("test_kind", "device_id", "sampled_at", "result", "symptoms_onset")
PATIENT_INPUTS = (
    *IDENTITY_FIELDS,
    *CONTACT_FIELDS,
    *(f"address_{name}" for name in ADDRESS_FIELDS),
)
ALL_INPUTS = (*PATIENT_INPUTS, *TEST_FIELDS, "symptoms", "consent")


def _text(post: Mapping[str, Any], name: str) -> str | None:
    value = post.get(name, "")
    return value.strip() or None if isinstance(value, str) else None


def typed_date(raw: str | None) -> str | None:
    """A date typed at the counter ("17/01/1980", "17011980" or ISO) as ISO 8601; anything
    else is passed on unchanged for the validator to name."""
    if raw is None:
        return None
    digits = re.fullmatch(r"(\d{2})[/.\- ]?(\d{2})[/.\- ]?(\d{4})", raw)
    return f"{digits[3]}-{digits[2]}-{digits[1]}" if digits else raw


def patient_body(post: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {name: _text(post, name) for name in (*IDENTITY_FIELDS, *CONTACT_FIELDS)}
    body["birth_date"] = typed_date(body["birth_date"])
    address = {name: _text(post, f"address_{name}") for name in ADDRESS_FIELDS}
    body["address"] = {**address, "country": "FR"} if any(address.values()) else None
    return body


def test_body(post: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "test_kind": _text(post, "test_kind"),
        "device_id": _text(post, "device_id"),
        "sampled_at": local_time(post.get("sampled_at", "")),
        "result": _text(post, "result"),
        "symptoms": post.get("symptoms") == "on",
        "symptoms_onset": _text(post, "symptoms_onset"),
        "consent": post.get("consent") == "on",
    }


def submission(post: Mapping[str, Any]) -> dict[str, Any]:
    return {**test_body(post), "patient": patient_body(post)}


def local_time(raw: object) -> str | None:
    """A `datetime-local` value read as Paris time, in ISO 8601 with its offset."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw
    moment = naive if naive.tzinfo else naive.replace(tzinfo=PARIS)
    return moment.isoformat()


def now_local_input() -> str:
    """Now, as a `datetime-local` value (the default sample time at the counter)."""
    return timezone.now().astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def input_name(path: str) -> str:
    """The form input an error path belongs to (`patient.first_names.1` → `first_names`)."""
    parts = path.removeprefix("patient.").split(".")
    if parts[0] == "address" and len(parts) > 1:
        return f"address_{parts[1]}"
    return parts[0]


def errors_by_input(
    errors: Iterable[FieldError], only: Iterable[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """(first message per input, messages that belong to no input), in the page language.

    `only` limits the result to inputs the user already touched (validation as you type
    must not shout "required" at fields not reached yet).
    """
    lang = "en" if (get_language() or "fr").startswith("en") else "fr"
    wanted = set(only) if only is not None else None
    by_input: dict[str, str] = {}
    general: list[str] = []
    for error in errors:
        name = input_name(error.field)
        if wanted is not None and name not in wanted:
            continue
        if name in ALL_INPUTS:
            by_input.setdefault(name, render_error(error, lang))
        else:
            general.append(render_error(error, lang))
    return by_input, general
