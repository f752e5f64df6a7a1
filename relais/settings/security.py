"""Cookies, HTTPS and the browser's protections; production tightens every one."""

from __future__ import annotations

from django.utils.csp import CSP

from relais.conf.env import env_bool
from relais.settings.base import PRODUCTION

# Cookies: HTTPS-only in production, where the __Host- prefix also binds each cookie to this
# exact origin (Secure, Path=/, no Domain), so a sibling subdomain can neither set nor shadow
# it. The CSRF token travels in every form; no script reads the cookie.
SESSION_COOKIE_NAME = "__Host-relais-session" if PRODUCTION else "relais-session"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-relais-csrf" if PRODUCTION else "relais-csrf"
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# HTTPS: production redirects plain HTTP and pins HTTPS in browsers for two years.
if PRODUCTION:
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("RELAIS_SSL_REDIRECT", default=True)
# Behind a proxy that terminates TLS, every request arrives over plain HTTP. Only when the
# operator says that proxy overwrites X-Forwarded-Proto on every request may Relais believe
# the header; otherwise a client sending "X-Forwarded-Proto: https" over plain HTTP would
# skip the redirect (and `relais serve`'s gunicorn ignores the header as well).
RELAIS_TRUSTED_PROXY_HEADERS = env_bool("RELAIS_TRUSTED_PROXY_HEADERS", default=False)
if RELAIS_TRUSTED_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict Content-Security-Policy (Django's own): every script is a file of ours or carries the
# request's nonce; no inline style, no other origin, no framing, forms post only to us.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
