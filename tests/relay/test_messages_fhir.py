"""FHIR R4 transaction bundles: codes, identifiers, statuses, validation and reading back."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from relais.relay.messages import (
    MessageBuildError,
    MessageInvalid,
    build_fhir_bundle,
    parse_fhir_bundle,
    validate_bundle,
)
from relais.relay.messages.codes import SYSTEM_FINESS, SYSTEM_INS_NIR, SYSTEM_MESSAGE_ID
from relais.relay.messages.samples import sample_screening


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize(
    ("action", "status"),
    [("create", "final"), ("correct", "amended"), ("cancel", "entered-in-error")],
)
def test_the_observation_status_follows_the_action(action: str, status: str) -> None:
    bundle = build_fhir_bundle([sample_screening(1, action=action)], validate="full")

    (observation,) = _resources(bundle, "Observation")
    assert observation["status"] == status


@pytest.mark.parametrize(
    ("kind", "loinc"),
    [("rapid_antigen", "94558-4"), ("supervised_self_test", "94558-4"), ("rt_pcr", "94500-6")],
)
def test_the_loinc_code_follows_the_test_kind(kind: str, loinc: str) -> None:
    bundle = build_fhir_bundle([sample_screening(1, test_kind=kind)])

    (observation,) = _resources(bundle, "Observation")
    assert observation["code"]["coding"][0]["code"] == loinc


@pytest.mark.parametrize(
    ("result", "snomed"),
    [("positive", "10828004"), ("negative", "260385009"), ("not_interpretable", "373068000")],
)
def test_the_result_is_a_french_snomed_qualitative_code(result: str, snomed: str) -> None:
    bundle = build_fhir_bundle([sample_screening(1, result=result)])

    (observation,) = _resources(bundle, "Observation")
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == snomed


def test_the_message_id_is_an_identifier_and_the_create_is_conditional_on_it() -> None:
    item = sample_screening(1)
    bundle = build_fhir_bundle([item])

    entry = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    identifiers = {i["system"]: i["value"] for i in entry["resource"]["identifier"]}
    assert identifiers[SYSTEM_MESSAGE_ID] == item.message_id
    assert entry["request"]["ifNoneExist"] == f"identifier={SYSTEM_MESSAGE_ID}|{item.message_id}"
    assert bundle["type"] == "transaction"


def test_a_correction_replaces_the_screening_observation_by_identifier() -> None:
    bundle = build_fhir_bundle([sample_screening(1, action="correct", version=2)])

    entry = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    assert entry["request"]["method"] == "PUT"
    assert entry["request"]["url"].endswith("|scr-000001")


def test_the_patient_carries_an_ins_nir_only_when_one_is_known() -> None:
    anonymous = replace(sample_screening(2).patient, nir=None)
    bundle = build_fhir_bundle([sample_screening(1), sample_screening(2, patient=anonymous)])

    with_nir, without_nir = _resources(bundle, "Patient")
    assert with_nir["identifier"] == [{"system": SYSTEM_INS_NIR, "value": "180017512345660"}]
    assert "identifier" not in without_nir


def test_one_pharmacy_appears_once_in_a_bundle_of_many_screenings() -> None:
    bundle = build_fhir_bundle([sample_screening(n) for n in range(10)], validate="full")

    (organization,) = _resources(bundle, "Organization")
    assert organization["identifier"][0] == {"system": SYSTEM_FINESS, "value": "130000128"}
    assert len(_resources(bundle, "Observation")) == 10
    assert len(_resources(bundle, "Practitioner")) == 1


def test_rebuilding_the_same_transmission_gives_identical_json() -> None:
    items = [sample_screening(1), sample_screening(2)]

    assert json.dumps(build_fhir_bundle(items)) == json.dumps(build_fhir_bundle(items))


def test_a_schema_invalid_bundle_is_refused_with_the_path_of_the_problem() -> None:
    bundle = build_fhir_bundle([sample_screening(1)])
    observation = next(r for r in _resources(bundle, "Observation"))
    observation["effectiveDateTime"] = "yesterday"

    with pytest.raises(MessageBuildError) as refused:
        validate_bundle(bundle)

    assert any("effectiveDateTime" in reason for reason in refused.value.reasons)
    assert all(reason.startswith("entry.") for reason in refused.value.reasons)


def test_an_empty_batch_cannot_be_built() -> None:
    with pytest.raises(MessageBuildError):
        build_fhir_bundle([])


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"[1, 2", "not JSON"),
        (b'{"resourceType": "Patient"}', "resourceType must be Bundle"),
        (b'{"resourceType": "Bundle", "type": "batch", "entry": []}', "transaction"),
        (b'{"resourceType": "Bundle", "type": "transaction", "entry": []}', "non-empty"),
    ],
)
def test_an_unreadable_document_is_refused_whole_with_a_reason(
    document: bytes, reason: str
) -> None:
    with pytest.raises(MessageInvalid) as refused:
        parse_fhir_bundle(document)

    assert reason in refused.value.reasons[0]


def test_an_observation_without_result_is_read_with_no_result() -> None:
    bundle = build_fhir_bundle([sample_screening(1)])
    del _resources(bundle, "Observation")[0]["valueCodeableConcept"]

    (parsed,) = parse_fhir_bundle(json.dumps(bundle).encode())

    assert parsed.result is None
    assert parsed.message_id == sample_screening(1).message_id


@pytest.mark.parametrize("key", ["", "finess:750000001", "é/patient", "x" * 300])
def test_full_urls_are_the_uuid5_of_their_key(key: str) -> None:
    import uuid

    from relais.relay.messages.fhir import FULLURL_NAMESPACE, _full_url

    assert _full_url(key) == f"urn:uuid:{uuid.uuid5(FULLURL_NAMESPACE, key)}"
