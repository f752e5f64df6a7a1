"""Synthetic, valid screening submissions in the API's documented shape (issue 8).

Every person is invented: names from a short list, NIRs built with a correct key and
consistent with sex and birth date, addresses in Lyon, ``example.org`` emails. They pass
Relais' validation, so the benchmark measures the whole path, not the refusal path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_DEVICE_ID = "1232"  # Abbott Panbio, in the EU DCC value set shipped with Relais
_LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")
_FIRST_NAMES = ("Camille", "Louise", "Jeanne", "Alice", "Chloé", "Léa", "Manon", "Inès")


def nir_for(index: int, birth: dt.date) -> str:
    """A valid NIR of a woman born on ``birth`` in the Rhône (69), order from ``index``."""
    order = index % 999 + 1
    commune = index // 999 % 999 + 1
    body = f"2{birth.year % 100:02d}{birth.month:02d}69{commune:03d}{order:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def birth_date_for(index: int) -> dt.date:
    """Adults born between 1950 and 1999, spread over the year."""
    return dt.date(1950 + index % 50, index % 12 + 1, index % 28 + 1)


def submission(index: int, device_id: str, sampled_at: dt.datetime) -> dict[str, Any]:
    """The JSON body of one screening; distinct people for distinct ``index``."""
    born = birth_date_for(index)
    return {
        "patient": {
            "last_name": _LAST_NAMES[index % len(_LAST_NAMES)],
            "first_names": _FIRST_NAMES[index // len(_LAST_NAMES) % len(_FIRST_NAMES)],
            "sex": "F",
            "birth_date": born.isoformat(),
            "nir": nir_for(index, born),
            "no_nir_reason": None,
            "email": f"bench.{index}@example.org",
            "phone": f"+3361{index % 10_000_000:07d}",
            "address": {
                "line": f"{index % 200 + 1} rue de la République",
                "postal_code": "69002",
                "city": "Lyon",
                "country": "FR",
            },
        },
        "test_kind": "rapid_antigen",
        "device_id": device_id,
        "sampled_at": sampled_at.isoformat(timespec="seconds"),
        "result": "negative" if index % 10 else "positive",
        "symptoms": False,
        "symptoms_onset": None,
        "consent": True,
        "external_ref": f"bench-{index}",
    }
