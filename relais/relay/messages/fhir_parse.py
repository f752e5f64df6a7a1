"""Reading a FHIR transaction Bundle back, as the receiving platform does.

Deliberately hand-rolled and lenient per screening: a receiver must answer *each* message
(accepted, or rejected with reasons), so a missing result or a bad date is reported on
that message, while only a document it cannot read at all (not JSON, not a transaction
Bundle, an Observation without a message id) raises MessageInvalid for the whole request.
It does not run fhir.resources: the simulator must stay far faster than the relay.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from relais.relay.messages import codes
from relais.relay.messages.parsed import MessageInvalid, ParsedMessage

Json = dict[str, Any]


def parse_fhir_bundle(data: bytes | str | Json) -> list[ParsedMessage]:
    """Return one ParsedMessage per Observation of the transaction Bundle `data`."""
    bundle = _load(data)
    resources = _resources_by_url(bundle)
    observations = [r for r in resources.values() if r.get("resourceType") == "Observation"]
    if not observations:
        raise MessageInvalid(["the bundle holds no Observation"])
    return [_parse_observation(obs, resources) for obs in observations]


def _load(data: bytes | str | Json) -> Json:
    if isinstance(data, dict):
        bundle = data
    else:
        try:
            bundle = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise MessageInvalid([f"not JSON: {error.__class__.__name__}"]) from error
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise MessageInvalid(["resourceType must be Bundle"])
    if bundle.get("type") != "transaction":
        raise MessageInvalid(["Bundle.type must be transaction"])
    if not isinstance(bundle.get("entry"), list) or not bundle["entry"]:
        raise MessageInvalid(["Bundle.entry must be a non-empty list"])
    return bundle


def _resources_by_url(bundle: Json) -> dict[str, Json]:
    resources: dict[str, Json] = {}
    for index, entry in enumerate(bundle["entry"]):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        url = entry.get("fullUrl") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(url, str):
            raise MessageInvalid([f"entry[{index}] needs a fullUrl and a resource"])
        if url in resources:
            raise MessageInvalid([f"entry[{index}] repeats fullUrl"])
        resources[url] = resource
    return resources


def _identifier(resource: Json | None, system: str) -> str | None:
    if resource is None:
        return None
    for identifier in resource.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("system") == system:
            value = identifier.get("value")
            return value if isinstance(value, str) else None
    return None


def _codes(concept: Any, system: str) -> list[str]:
    if not isinstance(concept, dict):
        return []
    return [
        c["code"]
        for c in concept.get("coding") or []
        if isinstance(c, dict) and c.get("system") == system and isinstance(c.get("code"), str)
    ]


def _referenced(reference: Any, resources: dict[str, Json]) -> Json | None:
    if isinstance(reference, dict):
        return resources.get(str(reference.get("reference")))
    return None


def _aware_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None


def _finess(observation: Json, resources: dict[str, Json]) -> str | None:
    for performer in observation.get("performer") or []:
        finess = _identifier(_referenced(performer, resources), codes.SYSTEM_FINESS)
        if finess is not None:
            return finess
    return None


def _parse_observation(observation: Json, resources: dict[str, Json]) -> ParsedMessage:
    message_id = _identifier(observation, codes.SYSTEM_MESSAGE_ID)
    if not message_id:
        raise MessageInvalid([f"an Observation has no {codes.SYSTEM_MESSAGE_ID} identifier"])
    results = _codes(observation.get("valueCodeableConcept"), codes.SYSTEM_SNOMED)
    loincs = _codes(observation.get("code"), codes.SYSTEM_LOINC)
    patient = _referenced(observation.get("subject"), resources)
    return ParsedMessage(
        message_id=message_id,
        action=codes.ACTION_BY_FHIR_STATUS.get(str(observation.get("status"))),
        result=codes.RESULT_BY_SNOMED.get(results[0]) if results else None,
        nir=_identifier(patient, codes.SYSTEM_INS_NIR),
        sampled_at=_aware_datetime(observation.get("effectiveDateTime")),
        loinc=loincs[0] if loincs else None,
        finess=_finess(observation, resources),
    )
