"""The pharmacy-software API: its per-key request limit and idempotency."""

from __future__ import annotations

from relais.conf.env import env_int

# Requests per key per window, counted in the database so every server process shares the
# count (a 429 with Retry-After beyond it). Generous for a pharmacy's software; benchmarks
# raise it.
RELAIS_API_RATE_LIMIT = env_int("RELAIS_API_RATE_LIMIT", 1200, minimum=1)
RELAIS_API_RATE_WINDOW_SECONDS = env_int("RELAIS_API_RATE_WINDOW_SECONDS", 60, minimum=1)
# How long the first answer to a request carrying an Idempotency-Key is replayed.
RELAIS_API_IDEMPOTENCY_HOURS = env_int("RELAIS_API_IDEMPOTENCY_HOURS", 24, minimum=1)
