"""Fixed screenings give byte-identical messages: a change of format is a reviewed diff.

Regenerate with UPDATE_GOLDEN=1 after an intended change. HL7 golden files store one
segment per line (\\n) for readable diffs; the wire format uses \\r.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from relais.relay.messages import (
    CanonicalScreening,
    Patient,
    Practitioner,
    build_fhir_bundle,
    build_hl7_oru,
)
from relais.relay.messages.samples import CORSICAN_NIR, sample_screening

GOLDEN = Path(__file__).parent / "golden"
SENT_AT = datetime(2021, 3, 1, 12, 0, tzinfo=UTC)


def _cases() -> dict[str, CanonicalScreening]:
    base = sample_screening(1)
    no_nir = replace(base.patient, nir=None, address=None, email=None, sex="F")
    delimiters = Patient(
        last_name="O'Brien|Test^A&B~C\\D",
        first_names=("Zoë",),
        sex="U",
        birth_date=base.patient.birth_date,
        nir=CORSICAN_NIR,
    )
    return {
        "antigen_negative_create": base,
        "pcr_positive_correction_without_nir": sample_screening(
            2,
            action="correct",
            version=2,
            test_kind="rt_pcr",
            result="positive",
            patient=no_nir,
            practitioner=Practitioner(name="Paul Martin"),
            device_id=None,
            symptoms=False,
            symptoms_onset=None,
        ),
        "self_test_cancel_with_delimiters": sample_screening(
            3,
            action="cancel",
            version=3,
            test_kind="supervised_self_test",
            result="not_interpretable",
            patient=delimiters,
        ),
    }


def _check(path: Path, produced: str) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert produced == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(_cases()))
def test_a_fhir_bundle_matches_its_golden_file(name: str) -> None:
    bundle = build_fhir_bundle([_cases()[name]], validate="full")

    _check(GOLDEN / f"{name}.fhir.json", json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("name", sorted(_cases()))
def test_an_hl7_message_matches_its_golden_file(name: str) -> None:
    message = build_hl7_oru(_cases()[name], sent_at=SENT_AT)

    _check(GOLDEN / f"{name}.hl7", message.replace("\r", "\n"))
