"""Hardening: strict CSP with nonces, no inline script without one, no-store on signed-in
pages, no asset from another origin, error pages that reveal nothing."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from relais.web.charts import bar_chart
from tests.conftest import Personas

TEMPLATES = Path(__file__).resolve().parents[2] / "relais" / "web" / "templates"


def test_pages_carry_a_strict_content_security_policy_with_a_nonce(personas: Personas) -> None:
    response = personas["technician_a"].client().get("/counter/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_signed_in_pages_are_never_cached_and_static_files_are_not_listed(
    personas: Personas,
) -> None:
    client = personas["technician_a"].client()
    assert client.get("/followup/")["Cache-Control"] == "no-store"
    assert client.get("/static/web/").status_code == 404
    assert client.get("/static/").status_code == 404


def test_no_template_runs_an_inline_script_or_loads_another_origin() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "nonce" in tag, (template.name, tag)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), template.name
        assert " style=" not in text and "<style" not in text, template.name


def test_an_unknown_page_reveals_nothing() -> None:
    response = Client().get("/no/such/page/%3Cscript%3E")
    assert response.status_code in {302, 404}
    assert b"script" not in response.content.lower().replace(b"<script", b"")


@given(st.lists(st.tuples(st.text(max_size=12), st.floats(0, 1e6)), max_size=20))
def test_a_chart_escapes_every_label(points: list[tuple[str, float]]) -> None:
    svg = str(bar_chart("c", "<t>", points))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<t>" not in svg
    for label, _value in points:
        if "<" in label:
            assert f">{label} :" not in svg
