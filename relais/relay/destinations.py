"""Destinations: where transmissions go, and how (URL, format, mutual-TLS material).

One destination today (SI-DEP, or its simulator); the real platform's specification, when
published, is one more adapter reading its own settings.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIDEP = "sidep"


@dataclass(frozen=True, slots=True)
class Destination:
    name: str
    url: str
    format: str
    client_cert: str
    client_key: str
    ca: str
    connect_timeout: float
    read_timeout: float

    def ssl_context(self) -> ssl.SSLContext:
        """Verify the platform against our CA bundle only; present our client certificate."""
        for label, path in (("CA", self.ca), ("client certificate", self.client_cert)):
            if not path or not Path(path).is_file():
                raise ImproperlyConfigured(
                    f"The SI-DEP {label} file is missing ({path or 'not set'}): set "
                    "RELAIS_SIDEP_CA, RELAIS_SIDEP_CLIENT_CERT and RELAIS_SIDEP_CLIENT_KEY "
                    "(for the simulator: relais sidep-sim --init-certs DIR)."
                )
        context = ssl.create_default_context(cafile=self.ca)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.client_cert, self.client_key)
        return context

    @property
    def endpoint(self) -> str:
        return f"{self.url.rstrip('/')}/{self.format}"


def sidep() -> Destination:
    return Destination(
        name=SIDEP,
        url=settings.RELAIS_SIDEP_URL,
        format=settings.RELAIS_SIDEP_FORMAT,
        client_cert=settings.RELAIS_SIDEP_CLIENT_CERT,
        client_key=settings.RELAIS_SIDEP_CLIENT_KEY,
        ca=settings.RELAIS_SIDEP_CA,
        connect_timeout=settings.RELAIS_SIDEP_CONNECT_TIMEOUT_MS / 1000,
        read_timeout=settings.RELAIS_SIDEP_READ_TIMEOUT_MS / 1000,
    )
