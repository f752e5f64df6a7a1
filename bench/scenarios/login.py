"""Login cost: one ``check_password`` with the project's Argon2id hasher (the default one).

Goes through Django's ``check_password`` so the configured ``PASSWORD_HASHERS`` decide, as
at a real login. Limit: argon2-cffi alone with the same parameters.
"""

from __future__ import annotations

import statistics
import time

from bench.context import RunContext
from bench.figures import Figure
from bench.scenarios._available import missing_attributes

TITLE = "Login (Argon2id)"
_PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway benchmark input


def available() -> str | None:
    return missing_attributes("relais.accounts.hashers", "RelaisArgon2PasswordHasher")


def run(ctx: RunContext, quick: bool) -> list[Figure]:
    ctx.stack.setup_django()
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(_PASSWORD)
    if not encoded.startswith("argon2$argon2id$"):
        raise RuntimeError(f"the default hasher is not Argon2id ({encoded.split('$')[0]})")
    times = []
    for _ in range(5 if quick else 20):
        started = time.perf_counter()
        if not check_password(_PASSWORD, encoded):
            raise RuntimeError("check_password refused the right password")
        times.append(time.perf_counter() - started)
    median_ms = statistics.median(times) * 1000
    return [
        Figure(
            TITLE,
            "check_password (median)",
            median_ms,
            "ms/login",
            higher_is_better=False,
            limit=ctx.limit("argon2_ms"),
        ),
        Figure(TITLE, "logins per core", 1000 / median_ms, "logins/s", higher_is_better=True),
    ]
