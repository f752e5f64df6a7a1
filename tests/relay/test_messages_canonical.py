"""The canonical screening refuses values a builder could not render faithfully."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from relais.relay.messages import CanonicalError, Patient, Pharmacy
from relais.relay.messages.samples import sample_screening


def test_the_loinc_code_is_derived_from_the_kind_of_test() -> None:
    assert sample_screening(1, test_kind="rt_pcr").loinc == "94500-6"
    assert sample_screening(1, test_kind="supervised_self_test").loinc == "94558-4"


def test_a_naive_sample_time_is_refused() -> None:
    with pytest.raises(CanonicalError, match="timezone-aware"):
        sample_screening(1, sampled_at=datetime(2021, 3, 1, 10, 0))  # noqa: DTZ001


def test_a_message_id_that_is_not_a_uuid_is_refused() -> None:
    with pytest.raises(CanonicalError, match="UUID"):
        sample_screening(1, message_id="retry-42")


@pytest.mark.parametrize("nir", ["18001751234566", "1800175123456A0", "480017512345660"])
def test_a_nir_of_the_wrong_shape_is_refused(nir: str) -> None:
    with pytest.raises(CanonicalError, match="nir"):
        replace(sample_screening(1).patient, nir=nir)


def test_a_carriage_return_in_a_name_is_refused_naming_the_field() -> None:
    with pytest.raises(CanonicalError, match="last name"):
        replace(sample_screening(1).patient, last_name="Dupont\rMSH|")


def test_a_symptom_onset_without_symptoms_is_refused() -> None:
    with pytest.raises(CanonicalError, match="symptoms_onset"):
        sample_screening(1, symptoms=False)


def test_a_corsican_finess_is_accepted_and_a_short_one_refused() -> None:
    assert Pharmacy(finess="2A0000123", name="Pharmacie d'Ajaccio").finess == "2A0000123"
    with pytest.raises(CanonicalError, match="finess"):
        Pharmacy(finess="13000012", name="Pharmacie")


def test_a_patient_needs_a_first_name() -> None:
    with pytest.raises(CanonicalError, match="first name"):
        Patient(last_name="Dupont", first_names=(), sex="F", birth_date=datetime.now().date())  # noqa: DTZ005
