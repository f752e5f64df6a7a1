"""Recording screenings: the accepted age of a sample, and the public pre-registration
page's request limits."""

from __future__ import annotations

from relais.conf.env import env_int

# A sample older than this is refused (a correction that keeps its sample time is not).
RELAIS_SAMPLE_WINDOW_DAYS = env_int("RELAIS_SAMPLE_WINDOW_DAYS", 7, minimum=1)
# Pre-registration requests per client address per 10 minutes (a family pre-registering
# together stays well under it), and submissions per pharmacy per hour (far above a real
# day's queue, far below a flood).
RELAIS_PREREG_CLIENT_HITS = env_int("RELAIS_PREREG_CLIENT_HITS", 30, minimum=1)
RELAIS_PREREG_PHARMACY_HITS = env_int("RELAIS_PREREG_PHARMACY_HITS", 500, minimum=1)
