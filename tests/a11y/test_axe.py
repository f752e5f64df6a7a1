"""axe-core (vendored from npm, test-only) on every pharmacist screen: no serious or
critical violation. With RELAIS_SCREENSHOTS=<dir>, the same walk saves a screenshot of each
screen (scripts/screenshots.py does that for docs/screenshots/)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from relais.access.actors import ANONYMOUS
from relais.relay.models import Transmission
from relais.screening.models import Screening
from relais.screening.services import create_preregistration, preregistration_link
from tests.conftest import Personas
from tests.web.browser_support import base_url, browser, enrol, sign_in
from tests.web.conftest import counter_form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("devices")]
__all__ = ["base_url", "browser"]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
BLOCKING = {"serious", "critical"}


def _violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], "axe-core ran no check"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def _data(personas: Personas) -> tuple[str, str, str]:
    response = personas["technician_a"].client().post("/counter/", counter_form())
    assert response.status_code == 302, re.findall(r'polite">([^<]+)<', response.content.decode())
    screening = Screening.objects.get(pharmacy=personas.pharmacy_a)
    Transmission.objects.filter(screening_id=screening.pk).update(
        status="rejected", reasons=["INS-042 date de naissance incohérente"]
    )
    slug = preregistration_link(personas["owner_a"].actor, personas.pharmacy_a.pk)
    identity = {"last_name": "Durand", "first_names": "Paul", "sex": "M",
                "birth_date": "1990-05-01", "no_nir_reason": "foreign_resident",
                "email": "paul@example.org"}  # fmt: skip
    code = create_preregistration(ANONYMOUS, slug, identity).code
    return str(screening.pk), slug, code


def _screens(page: Page, base: str, screening: str, code: str) -> list[tuple[str, Any]]:
    def submit_empty() -> None:
        page.goto(base + "/counter/")
        page.click("#record")
        page.wait_for_load_state()

    def pickup() -> None:
        page.goto(base + "/counter/?mode=prereg")
        page.fill("#id_code", code)
        page.keyboard.press("Enter")
        page.wait_for_selector("#id_result")

    return [
        ("home", lambda: page.goto(base + "/")),
        ("counter-walk-in", lambda: page.goto(base + "/counter/")),
        ("counter-errors", submit_empty),
        ("counter-preregistration", lambda: page.goto(base + "/counter/?mode=prereg")),
        ("counter-preregistration-found", pickup),
        ("counter-returning", lambda: page.goto(base + "/counter/?mode=returning")),
        ("followup", lambda: page.goto(base + "/followup/")),
        ("screening-rejected", lambda: page.goto(base + f"/followup/{screening}/")),
        ("dashboard", lambda: page.goto(base + "/dashboard/")),
        ("export", lambda: page.goto(base + "/exports/")),
        ("account", lambda: page.goto(base + "/account/")),
        ("staff", lambda: page.goto(base + "/account/staff/")),
        ("api-keys", lambda: page.goto(base + "/account/api-keys/")),
        ("mfa", lambda: page.goto(base + "/account/2fa/")),
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_or_critical_accessibility_violation_on_any_screen(
    browser: Browser, base_url: str, personas: Personas, lang: str
) -> None:
    screening, slug, code = _data(personas)
    shots = os.environ.get("RELAIS_SCREENSHOTS", "")
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
        locale="fr-FR" if lang == "fr" else "en-GB",
    )
    context.add_cookies([{"name": "django_language", "value": lang, "url": base_url}])
    page = context.new_page()
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(base_url + "/login/")
    found["login"] = _violations(page)
    page.goto(base_url + f"/p/{slug}/")
    found["preregistration-public"] = _violations(page)
    sign_in(page, base_url, enrol(personas, "owner_a"))
    for name, visit in _screens(page, base_url, screening, code):
        visit()
        assert not re.search(r"/login/|/reauthenticate/", page.url), (name, page.url)
        found[name] = _violations(page)
        if shots and lang == "fr":
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
