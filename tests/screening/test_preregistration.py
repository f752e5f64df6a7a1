"""Pre-registration: public page → code → staff pickup → screening; expiry; rate limits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.access.actors import ANONYMOUS, SYSTEM
from relais.access.errors import AccessDeniedError
from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.screening.codes import ALPHABET, CODE_LENGTH, new_code, normalize_code
from relais.screening.errors import PreRegistrationNotFoundError
from relais.screening.models import PreRegistration, Screening
from relais.screening.services import (
    create_preregistration,
    pickup_preregistration,
    preregistration_link,
    purge_expired_preregistrations,
    record_from_preregistration,
)
from tests.conftest import Personas
from tests.screening.conftest import NOW, valid_body

pytestmark = pytest.mark.usefixtures("devices")

FORM = {
    "last_name": "Lefèvre",
    "first_names": "Zoé, Anaïs",
    "sex": "F",
    "birth_date": "1990-02-14",
    "nir": "",
    "no_nir_reason": "foreign_resident",
    "email": "zoe@example.org",
    "phone": "",
}


def _test_fields() -> dict[str, Any]:
    body = valid_body()
    del body["patient"]
    return body


def _slug(personas: Personas, letter: str = "a") -> str:
    return preregistration_link(
        personas[f"owner_{letter}"].actor, getattr(personas, f"pharmacy_{letter}").pk
    )


def _identity() -> dict[str, Any]:
    return {k: v for k, v in valid_body()["patient"].items()}


def test_the_whole_flow_from_the_public_page_to_a_recorded_screening(personas: Personas) -> None:
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    page = Client().post(url, FORM)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    text = page.content.decode()
    code = re.search(r"<strong>([0-9A-Z]{4}-[0-9A-Z]{4})</strong>", text).group(1)  # type: ignore[union-attr]
    assert "<svg" in text and "Lefèvre" not in text
    tech = personas["technician_a"].actor
    picked = pickup_preregistration(tech, personas.pharmacy_a.pk, code.lower())
    assert picked.patient.first_names == ("Zoé", "Anaïs")
    outcome = record_from_preregistration(
        tech, personas.pharmacy_a.pk, code, _test_fields(), now=NOW
    )
    assert outcome.created and Screening.objects.count() == 1
    assert not PreRegistration.objects.exists()  # used once
    with pytest.raises(PreRegistrationNotFoundError):
        pickup_preregistration(tech, personas.pharmacy_a.pk, code)


def test_another_pharmacys_code_is_not_found_and_the_attempt_audited(personas: Personas) -> None:
    issued = create_preregistration(ANONYMOUS, _slug(personas, "a"), _identity(), now=NOW)
    with pytest.raises(PreRegistrationNotFoundError):
        pickup_preregistration(
            personas["owner_b"].actor, personas.pharmacy_b.pk, issued.code, now=NOW
        )
    with pytest.raises(AccessDeniedError):
        pickup_preregistration(
            personas["owner_b"].actor, personas.pharmacy_a.pk, issued.code, now=NOW
        )
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
    assert PreRegistration.objects.count() == 1


def test_a_pre_registration_expires_after_48_hours_and_is_purged(personas: Personas) -> None:
    issued = create_preregistration(ANONYMOUS, _slug(personas), _identity(), now=NOW)
    owner = personas["owner_a"].actor
    assert pickup_preregistration(
        owner, personas.pharmacy_a.pk, issued.code, now=NOW + timedelta(hours=47)
    )
    with pytest.raises(PreRegistrationNotFoundError):
        pickup_preregistration(
            owner, personas.pharmacy_a.pk, issued.code, now=NOW + timedelta(hours=48)
        )
    assert purge_expired_preregistrations(SYSTEM, NOW + timedelta(hours=47)) == 0
    assert purge_expired_preregistrations(SYSTEM, NOW + timedelta(hours=48)) == 1
    assert not PreRegistration.objects.exists()


def test_only_the_system_purges(personas: Personas) -> None:
    with pytest.raises(AccessDeniedError):
        purge_expired_preregistrations(personas["operator"].actor, NOW)


def test_the_code_is_stored_only_as_a_keyed_hash(personas: Personas) -> None:
    issued = create_preregistration(ANONYMOUS, _slug(personas), _identity(), now=NOW)
    row = PreRegistration.objects.get()
    assert issued.code.encode() not in bytes(row.code_index)
    assert len(bytes(row.code_index)) == 16


def test_codes_are_40_bits_from_an_unambiguous_alphabet_and_typing_is_forgiving() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) ** CODE_LENGTH == 2**40
    assert normalize_code("abcd-efgh") == "ABCDEFGH"
    assert normalize_code("abcd-efgu") is None  # U is not in the alphabet
    assert normalize_code("abc") is None
    assert normalize_code("o1l2 3i45") == "01123145"


def test_invalid_fields_are_each_shown_in_french_and_the_rest_kept(personas: Personas) -> None:
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    page = Client().post(
        url, {**FORM, "birth_date": "2999-01-01", "email": "x@", "no_nir_reason": ""}
    )
    text = page.content.decode()
    assert page.status_code == 422
    assert "La date de naissance est dans le futur." in text
    assert "Adresse e-mail invalide." in text
    assert "Sans NIR, indiquez pourquoi." in text
    assert 'value="Lefèvre"' in text
    assert not PreRegistration.objects.exists()


def test_the_public_page_speaks_english_on_request(personas: Personas) -> None:
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    assert "Pre-registration" in Client().get(url + "?lang=en").content.decode()
    page = Client().post(url + "?lang=en", {**FORM, "email": "x@"})
    assert "Invalid e-mail address." in page.content.decode()
    assert "Pre-registration" in Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()


def test_an_unknown_link_is_not_found(personas: Personas) -> None:
    url = reverse("screening:prereg_public", args=["no-such-pharmacy-link"])
    assert Client().get(url).status_code == 404
    with pytest.raises(Exception, match="unknown or closed"):
        create_preregistration(ANONYMOUS, "no-such-pharmacy-link", _identity())


def test_the_public_page_is_rate_limited_per_client(personas: Personas, settings: Any) -> None:
    settings.RELAIS_PREREG_CLIENT_HITS = 3
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(url)
    assert int(refused["Retry-After"]) > 0
    assert Client(REMOTE_ADDR="203.0.113.8").get(url).status_code == 200
    from relais.screening.models import RateLimitCounter

    assert not RateLimitCounter.objects.filter(bucket__contains="203.0.113").exists()


def test_the_public_page_is_rate_limited_per_pharmacy(personas: Personas, settings: Any) -> None:
    settings.RELAIS_PREREG_PHARMACY_HITS = 2
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    statuses = [Client(REMOTE_ADDR=f"198.51.100.{n}").post(url, FORM).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert PreRegistration.objects.count() == 2
    other = reverse("screening:prereg_public", args=[_slug(personas, "b")])
    assert Client(REMOTE_ADDR="198.51.100.9").post(other, FORM).status_code == 200


def test_the_public_form_refuses_a_post_without_csrf_token(personas: Personas) -> None:
    url = reverse("screening:prereg_public", args=[_slug(personas)])
    assert Client(enforce_csrf_checks=True).post(url, FORM).status_code == 403
    assert not PreRegistration.objects.exists()


def test_no_personal_data_or_code_ever_appears_in_a_url(personas: Personas) -> None:
    slug = _slug(personas)
    url = reverse("screening:prereg_public", args=[slug])
    page = Client().post(url, FORM)
    assert page.status_code == 200 and "Location" not in page
    assert "zoe" not in url and "Lef" not in url
    pickup = reverse("screening:prereg_pickup")
    assert "<" not in pickup and "code" not in pickup


def test_a_refused_identity_is_not_stored(personas: Personas) -> None:
    with pytest.raises(ValidationErrors):
        create_preregistration(ANONYMOUS, _slug(personas), {**_identity(), "sex": "X"})
    assert not PreRegistration.objects.exists()
