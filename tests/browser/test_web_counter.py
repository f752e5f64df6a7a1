"""In Debian's chromium, in French and in English: sign in with MFA, enter a walk-in patient
and a pre-registered one by keyboard only (timed, keystrokes counted), download the receipt,
correct a rejected result, export with re-authentication."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from relais.access.actors import ANONYMOUS
from relais.relay.models import Transmission
from relais.screening.models import Screening
from relais.screening.services import create_preregistration, preregistration_link
from tests.conftest import PERSONA_PASSWORD, Personas
from tests.web.browser_support import (
    Staff,
    Typist,
    base_url,
    browser,
    choose_language,
    enrol,
    sign_in,
)
from tests.web.conftest import nir_with_key

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("devices")]
__all__ = ["base_url", "browser"]

TIMINGS = Path(__file__).resolve().parents[2] / "var" / "counter-timings.json"
WALK_IN_TARGET_S, PREREGISTERED_TARGET_S = 45.0, 10.0


def _walk_in(page: Page, base_url: str) -> dict[str, float]:
    page.goto(base_url + "/counter/")
    expect(page.locator("#id_last_name")).to_be_focused()
    t = Typist(page)
    t.type("Dupont")
    t.press("Tab")
    t.type("Marie")
    t.press("Tab")
    t.type("f")
    t.press("Tab")
    t.type("17011980")
    t.press("Tab")
    t.type(nir_with_key("2800175123456"))
    t.press("Tab", 3)  # past the no-NIR reason and the e-mail
    t.type("0612345678")
    t.press("Tab", 3)  # past postcode and city, to the result
    t.type("n")
    t.press("Tab")
    t.press("Space")  # consent
    t.press("Tab")
    t.type("Abbott")  # the device, remembered after the first entry of the day
    waited = time.perf_counter()
    t.press("Enter")
    page.wait_for_url(re.compile(r".*/counter/$"))
    expect(page.locator(".messages")).to_be_visible()
    server_s = time.perf_counter() - waited
    return _figures(t, server_s)


def _figures(t: Typist, server_s: float) -> dict[str, float]:
    return {
        "keystrokes": t.keystrokes,
        "fields": t.fields,
        "scripted_s": round(t.elapsed(), 2),
        "server_s": round(server_s, 2),
        "human_estimate_s": round(t.human_estimate(server_s), 1),
    }


def _preregistered(page: Page, base_url: str, code: str) -> dict[str, float]:
    page.goto(base_url + "/counter/?mode=prereg")
    expect(page.locator("#id_code")).to_be_focused()
    t = Typist(page)
    t.type(code)
    waited = time.perf_counter()
    t.press("Enter")
    expect(page.locator("#id_result")).to_be_focused()
    server_s = time.perf_counter() - waited
    t.type("n")
    t.press("Tab")
    t.press("Space")
    waited = time.perf_counter()
    t.press("Enter")
    page.wait_for_url(re.compile(r".*/counter/$"))
    expect(page.locator(".messages")).to_be_visible()
    return _figures(t, server_s + time.perf_counter() - waited)


def _receipt(page: Page) -> None:
    with page.expect_download() as info:
        page.click("#receipt-last")
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")


def _correct_rejection(page: Page, base_url: str, personas: Personas, lang: str) -> None:
    screening = Screening.objects.filter(pharmacy=personas.pharmacy_a).order_by("created_at")[0]
    Transmission.objects.filter(screening_id=screening.pk).update(
        status="rejected", reasons=["INS-042 date de naissance incohérente"]
    )
    page.goto(base_url + "/followup/")
    row = page.locator("tr.rejected").first
    expect(row).to_contain_text("INS-042")
    page.goto(base_url + f"/followup/{screening.pk}/")
    expect(page.locator("#rejection")).to_contain_text("INS-042")
    page.fill("#id_birth_date", "18/01/1980")
    page.fill("#id_notes", "date corrigée" if lang == "fr" else "date fixed")
    page.click("#correct")
    page.wait_for_url(re.compile(rf".*/followup/{screening.pk}/$"))
    history = page.locator("#hist-title + table tbody tr")
    expect(history).to_have_count(2)
    assert Screening.objects.get(pk=screening.pk).current_version == 2


def _export(page: Page, base_url: str, staff: Staff, settings: Any) -> None:
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 4
    time.sleep(4.5)  # the sign-in's proofs are now too old for a sensitive action
    page.goto(base_url + "/exports/")
    page.wait_for_url(re.compile(r".*/reauthenticate/.*"))
    if "/account/reauthenticate/" in page.url:
        page.fill("input[name=password]", PERSONA_PASSWORD)
        page.click("form button[type=submit]:not(#sign-out)")
        page.wait_for_url(re.compile(r".*/2fa/reauthenticate/.*"))
    page.fill("input[name=code]", staff.next_code())
    page.click("form button[type=submit]:not(#sign-out)")
    page.wait_for_url(re.compile(r".*/exports/$"))
    with page.expect_download() as info:
        page.click("#export")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "Dupont" in text and len(text.strip().splitlines()) == 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_counter_follow_up_receipt_and_export_by_keyboard(
    browser: Browser, base_url: str, personas: Personas, settings: Any, lang: str
) -> None:
    staff = enrol(personas, "pharmacist_a")
    slug = preregistration_link(personas["owner_a"].actor, personas.pharmacy_a.pk)
    identity = {"last_name": "Durand", "first_names": "Paul", "sex": "M",
                "birth_date": "1990-05-01", "no_nir_reason": "foreign_resident",
                "email": "paul@example.org"}  # fmt: skip
    code = create_preregistration(ANONYMOUS, slug, identity).code
    context = browser.new_context(
        locale="fr-FR" if lang == "fr" else "en-GB", accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, base_url, staff)
    choose_language(page, lang)
    walk_in = _walk_in(page, base_url)
    _receipt(page)
    prereg = _preregistered(page, base_url, code)
    assert Screening.objects.filter(pharmacy=personas.pharmacy_a).count() == 2
    _correct_rejection(page, base_url, personas, lang)
    _export(page, base_url, staff, settings)
    context.close()
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps({"walk_in": walk_in, "preregistered": prereg}, indent=2))
    print(f"\n[{lang}] walk-in {walk_in}\n[{lang}] pre-registered {prereg}")
    assert walk_in["human_estimate_s"] <= WALK_IN_TARGET_S
    assert prereg["human_estimate_s"] <= PREREGISTERED_TARGET_S
