"""Staff pages (poster, pickup) and the bridge to the relay (hook, canonical message)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from django.test import Client
from django.urls import reverse

from relais.access.actors import ANONYMOUS
from relais.relay.messages.canonical import CanonicalScreening
from relais.screening import hooks
from relais.screening.canonical import to_canonical
from relais.screening.models import Screening, ScreeningVersion
from relais.screening.services import (
    cancel_screening,
    create_preregistration,
    preregistration_link,
    record_screening,
)
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, valid_body

pytestmark = pytest.mark.usefixtures("devices")


def _staff(personas: Personas, name: str) -> Client:
    """A signed-in staff client whose session proved a second factor (as the MFA gate wants)."""
    from relais.accounts.testing import signed_in_client

    user = personas[name].user
    assert user is not None
    return signed_in_client(user)


def test_the_poster_shows_the_pharmacys_link_and_its_qr_code(personas: Personas) -> None:
    page = _staff(personas, "technician_a").get(reverse("screening:prereg_poster"))
    slug = preregistration_link(personas["owner_a"].actor, personas.pharmacy_a.pk)
    text = page.content.decode()
    assert page.status_code == 200
    assert f"/p/{slug}/" in text and "<svg" in text


def test_staff_pick_up_a_code_by_post_and_record_the_screening(personas: Personas) -> None:
    slug = preregistration_link(personas["owner_a"].actor, personas.pharmacy_a.pk)
    issued = create_preregistration(ANONYMOUS, slug, valid_body()["patient"])
    client = _staff(personas, "technician_a")
    url = reverse("screening:prereg_pickup")
    found = client.post(url, {"code": issued.code})
    assert found.status_code == 200 and "Dupont" in found.content.decode()
    recorded = client.post(
        url,
        {
            "code": issued.code,
            "step": "record",
            "test_kind": "rapid_antigen",
            "device_id": "1232",
            "sampled_at": "",
            "result": "negative",
            "consent": "on",
        },
    )
    assert recorded.status_code == 422  # the sample time is missing: said, nothing saved
    assert not Screening.objects.exists()


def test_a_wrong_code_at_the_counter_is_not_found(personas: Personas) -> None:
    response = _staff(personas, "technician_b").post(
        reverse("screening:prereg_pickup"), {"code": "ABCD-EFGH"}
    )
    assert response.status_code == 404


def test_every_new_version_reaches_the_outbox_hook_inside_the_transaction(
    personas: Personas,
) -> None:
    seen: list[tuple[int, bool]] = []

    def writer(versions: Sequence[ScreeningVersion]) -> None:
        from django.db import connection

        seen.extend((version.number, connection.in_atomic_block) for version in versions)

    hooks.on_versions_recorded(writer)
    try:
        owner = personas["owner_a"].actor
        outcome = record_screening(owner, personas.pharmacy_a.pk, valid_body(), now=NOW)
        cancel_screening(owner, outcome.screening.pk, "mistake", now=NOW)
    finally:
        hooks.remove_callback(writer)
    assert seen == [(1, True), (2, True)]


def test_a_failing_outbox_hook_rolls_the_screening_back(personas: Personas) -> None:
    def broken(versions: Sequence[ScreeningVersion]) -> None:
        raise RuntimeError("outbox unavailable")

    hooks.on_versions_recorded(broken)
    try:
        with pytest.raises(RuntimeError):
            record_screening(
                personas["owner_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW
            )
    finally:
        hooks.remove_callback(broken)
    assert not Screening.objects.exists()


def test_a_version_becomes_the_canonical_message_the_relay_sends(personas: Personas) -> None:
    outcome = record_screening(
        personas["technician_a"].actor, personas.pharmacy_a.pk, valid_body(), now=NOW
    )
    version = outcome.screening.versions.get()
    message_id = str(uuid.uuid4())
    message = to_canonical(version, message_id)
    assert isinstance(message, CanonicalScreening)
    assert message.message_id == message_id
    assert message.loinc == "94558-4" and message.action == "create"
    assert message.patient.last_name == "Dupont"
    assert message.patient.phone == "+33612345678"
    assert message.pharmacy.finess == personas.pharmacy_a.finess
    assert message.practitioner.name == personas["technician_a"].user.full_name  # type: ignore[union-attr]
    assert message.sampled_at == SAMPLED
    assert message.device_id == "1232" and "Panbio" in message.device_name
