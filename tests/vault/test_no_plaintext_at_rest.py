"""Personal data is never in clear at rest: a stolen dump, data directory, log or temp file
is worthless.

Thousands of screenings with distinctive identities go through the real service, committed;
then a full dump of the database (SQLite's ``.dump`` through ``iterdump``, or ``pg_dump``),
every file of the data directory, everything logged and every temp file written meanwhile
are searched for each value, in the usual spellings.
"""

from __future__ import annotations

import json
import logging
import os
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from relais.screening.services import record_screening
from tests.conftest import make_personas

RECORDS = 2000
# Letters outside a-f: no hexadecimal rendering of a ciphertext can ever spell them.
NAME_ALPHABET = "ghijklmnopqrstuvwxyz"


def _tag(index: int) -> str:
    letters = []
    for _ in range(4):
        index, digit = divmod(index, len(NAME_ALPHABET))
        letters.append(NAME_ALPHABET[digit])
    return "".join(letters)


def _nir(index: int) -> str:
    first13 = f"1{(31 + index % 60):02d}{(index % 12) + 1:02d}75{index:06d}"
    return f"{first13}{97 - int(first13) % 97:02d}"


def identity(index: int) -> dict[str, str]:
    tag = _tag(index)
    birth = date(1930, 1, 1) + timedelta(days=index)
    return {
        "last_name": f"Zorglubé-{tag.capitalize()}",
        "first_name": f"Quixotine{tag}",
        "nir": _nir(index),
        "email": f"zorglub.{tag}@relais-scan.fr",
        "phone": f"+3377{index:07d}",
        "birth_date": birth.isoformat(),
        "city": f"Wyzzville{tag}",
    }


def submission(index: int, sampled_at: datetime) -> dict[str, object]:
    person = identity(index)
    return {
        "patient": {
            "last_name": person["last_name"],
            "first_names": [person["first_name"]],
            "sex": "M",
            "birth_date": person["birth_date"],
            "nir": person["nir"],
            "no_nir_reason": None,
            "email": person["email"],
            "phone": person["phone"],
            "address": {"line": "1 rue Haute", "postal_code": "75001", "city": person["city"]},
        },
        "test_kind": "rt_pcr",
        "device_id": None,
        "sampled_at": sampled_at.isoformat(),
        "result": "positive" if index % 2 else "negative",
        "symptoms": False,
        "symptoms_onset": None,
        "consent": True,
        "external_ref": None,
    }


def spellings(value: str) -> set[bytes]:
    """The value as it could leak: plain, lower/upper case, without separators, JSON-escaped
    (``\\u00e9``), and day-first for dates. Separator-free forms are kept only when long
    enough not to occur by chance in hexadecimal ciphertext."""
    forms = {value, value.lower(), value.upper(), json.dumps(value)[1:-1]}
    bare = "".join(ch for ch in value if ch not in " .-+/")
    if len(bare) >= 13 or any(ch not in string.hexdigits for ch in bare):
        forms.add(bare)
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        forms.add(f"{value[8:10]}/{value[5:7]}/{value[0:4]}")
    return {form.encode("utf-8") for form in forms if form}


def needles() -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for index in range(RECORDS):
        for field, value in identity(index).items():
            for form in spellings(value):
                found[form] = f"record {index} {field}"
    return found


def leaks(haystack: bytes, where: str, wanted: dict[bytes, str]) -> list[str]:
    return [f"{label} in {where}" for needle, label in wanted.items() if needle in haystack]


def database_dump() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump()).encode("utf-8")
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(params.get("PASSWORD") or "")}
    command = [
        "pg_dump",
        "--no-owner",
        "-h",
        str(params.get("HOST") or "127.0.0.1"),
        "-p",
        str(params.get("PORT") or 5432),
        "-U",
        str(params.get("USER") or "postgres"),
        str(params["NAME"]),
    ]
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=300).stdout


def files_under(root: Path, since: float | None = None) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                info = path.stat()
            except OSError:
                continue
            small = path.is_file() and info.st_size < 64 * 1024 * 1024
            if small and (since is None or info.st_mtime >= since):
                yield path


def test_the_needles_would_be_found_if_they_leaked() -> None:
    wanted = needles()
    person = identity(7)
    leaked = json.dumps({"name": person["last_name"], "nir": person["nir"]}).encode()
    assert leaks(leaked, "a fake log line", wanted)
    assert not leaks(b"\\x" + bytes.hex(os.urandom(4096)).encode(), "ciphertext", wanted)


@pytest.mark.django_db(transaction=True)
def test_thousands_of_records_leave_no_personal_value_in_dumps_files_logs_or_temp_files(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.time()
    personas = make_personas()
    actor = personas["technician_a"].actor
    sampled_at = datetime.now(UTC) - timedelta(hours=1)
    for index in range(RECORDS):
        record_screening(actor, personas.pharmacy_a.pk, submission(index, sampled_at))

    wanted = needles()
    problems = leaks(database_dump(), f"the {connection.vendor} dump", wanted)
    for path in files_under(Path(settings.DATA_DIR)):
        problems += leaks(path.read_bytes(), str(path), wanted)
    for path in files_under(Path(tempfile.gettempdir()), since=started):
        try:
            problems += leaks(path.read_bytes(), str(path), wanted)
        except OSError:
            continue
    problems += leaks(caplog.text.encode("utf-8"), "the log", wanted)
    assert problems == []
