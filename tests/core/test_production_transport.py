"""Production's transport protections: origin-bound cookies, and an HTTPS redirect that a
client cannot talk its way past with a forwarded-protocol header of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from relais.core.server import gunicorn_options
from tests.core.test_settings_fail_closed import production_env

HOST = "relais.example.fr"
# Runs under the production settings (a fresh interpreter: settings are read once), through
# Django's own security and CSRF middleware, and prints what a browser would see.
PROBE = f"""
import json
import django
django.setup()
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

def page(request):
    return HttpResponse(get_token(request))

factory = RequestFactory(HTTP_HOST="{HOST}")
spoofed = SecurityMiddleware(page)(factory.get("/", HTTP_X_FORWARDED_PROTO="https"))
form = CsrfViewMiddleware(page)(factory.get("/", secure=True))
cookie = next(iter(form.cookies.values()))
def post(token):
    request = factory.post(
        "/", {{"csrfmiddlewaretoken": token}}, secure=True,
        HTTP_ORIGIN="https://{HOST}",
    )
    request.COOKIES[cookie.key] = cookie.value
    middleware = CsrfViewMiddleware(page)
    refused = middleware.process_view(request, page, (), {{}})
    return 200 if refused is None else refused.status_code
print(json.dumps({{
    "spoofed_status": spoofed.status_code,
    "spoofed_location": spoofed.get("Location", ""),
    "csrf_cookie": cookie.key,
    "csrf_secure": bool(cookie["secure"]),
    "csrf_path": cookie["path"],
    "csrf_domain": cookie["domain"],
    "post_with_token": post(form.content.decode()),
    "post_without_token": post("x" * 64),
}}))
"""


def _probe(tmp_path: Path, **overrides: str) -> dict[str, Any]:
    env = production_env(tmp_path, RELAIS_DATA_DIR=str(tmp_path / "data"), **overrides)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"DJANGO_SETTINGS_MODULE": "relais.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_in_production_the_csrf_cookie_is_bound_to_the_origin_and_forms_still_post(
    tmp_path: Path,
) -> None:
    seen = _probe(tmp_path)
    assert seen["csrf_cookie"].startswith("__Host-")
    assert seen["csrf_secure"] is True
    assert seen["csrf_path"] == "/"
    assert seen["csrf_domain"] == ""
    assert seen["post_with_token"] == 200
    assert seen["post_without_token"] == 403


def test_a_spoofed_forwarded_protocol_does_not_skip_the_https_redirect(tmp_path: Path) -> None:
    seen = _probe(tmp_path)
    assert seen["spoofed_status"] == 301
    assert seen["spoofed_location"] == f"https://{HOST}/"


def test_a_proxy_declared_trusted_may_say_the_request_came_over_https(tmp_path: Path) -> None:
    seen = _probe(tmp_path, RELAIS_TRUSTED_PROXY_HEADERS="1")
    assert seen["spoofed_status"] == 200


def test_gunicorn_trusts_a_forwarded_protocol_only_from_a_declared_proxy() -> None:
    untrusted = gunicorn_options(host="127.0.0.1", port=1, workers=1, threads=1)
    assert untrusted["secure_scheme_headers"] == {}
    assert untrusted["forwarded_allow_ips"] == ""
    trusted = gunicorn_options(host="127.0.0.1", port=1, workers=1, threads=1, trust_proxy=True)
    assert trusted["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
