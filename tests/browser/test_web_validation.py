"""In Debian's chromium, under the strict CSP: validation as you type puts the error next to
its field, and no script or style is refused by the policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import Personas
from tests.web.browser_support import base_url, browser, enrol, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("devices")]
__all__ = ["base_url", "browser"]


def test_a_wrong_nir_is_named_next_to_its_field_while_typing_and_csp_refuses_nothing(
    browser: Browser, base_url: str, personas: Personas
) -> None:
    page = browser.new_page(locale="fr-FR")
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, base_url, enrol(personas, "technician_a"))
    page.goto(base_url + "/counter/")
    page.locator("#id_nir").click()
    page.keyboard.type("1800175123456")
    page.keyboard.press("Tab")
    expect(page.locator("#err_nir")).not_to_be_empty()
    expect(page.locator("#id_nir")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err_first_names")).to_be_empty()  # not reached yet: no shouting
    page.locator("#id_nir").fill("")
    page.keyboard.type("180017512345660")
    page.keyboard.press("Tab")
    expect(page.locator("#err_nir")).to_be_empty()
    assert refused == []
    page.close()
