"""Terminology and identifier systems, in one place (DESIGN.md §7).

Both message formats (FHIR R4 and HL7 v2.5.1) and the simulator read their codes from here,
so a code can never differ between the format that is built and the one that is checked.
"""

from __future__ import annotations

from typing import Final, Literal

Action = Literal["create", "correct", "cancel"]
TestKind = Literal["rapid_antigen", "rt_pcr", "supervised_self_test"]
Result = Literal["positive", "negative", "not_interpretable"]
Sex = Literal["F", "M", "U"]

ACTIONS: Final[tuple[Action, ...]] = ("create", "correct", "cancel")
TEST_KINDS: Final[tuple[TestKind, ...]] = ("rapid_antigen", "rt_pcr", "supervised_self_test")
RESULTS: Final[tuple[Result, ...]] = ("positive", "negative", "not_interpretable")
SEXES: Final[tuple[Sex, ...]] = ("F", "M", "U")

# Identifier systems (OIDs of the French health identifier registries).
OID_INS_NIR: Final = "1.2.250.1.213.1.4.8"
OID_FINESS: Final = "1.2.250.1.71.4.2.2"
OID_RPPS: Final = "1.2.250.1.71.4.2.1"
SYSTEM_INS_NIR: Final = f"urn:oid:{OID_INS_NIR}"
SYSTEM_FINESS: Final = f"urn:oid:{OID_FINESS}"
SYSTEM_RPPS: Final = f"urn:oid:{OID_RPPS}"
SYSTEM_MESSAGE_ID: Final = "urn:relais:message-id"
SYSTEM_SCREENING_ID: Final = "urn:relais:screening-id"
SYSTEM_BATCH_ID: Final = "urn:relais:batch-id"
SYSTEM_DEVICE_JRC: Final = "https://covid-19-diagnostics.jrc.ec.europa.eu/devices"

SYSTEM_LOINC: Final = "http://loinc.org"
SYSTEM_SNOMED: Final = "http://snomed.info/sct"

# LOINC test code by kind: a supervised self-test is a rapid antigen immunoassay too.
LOINC_BY_KIND: Final[dict[TestKind, str]] = {
    "rapid_antigen": "94558-4",
    "supervised_self_test": "94558-4",
    "rt_pcr": "94500-6",
}
LOINC_DISPLAY: Final[dict[str, str]] = {
    "94558-4": "SARS-CoV-2 (COVID-19) Ag [Presence] in Respiratory specimen by Rapid immunoassay",
    "94500-6": "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory specimen by NAA with probe "
    "detection",
}

# French CI-SIS qualitative results; "undetermined" is how not-interpretable is coded.
SNOMED_BY_RESULT: Final[dict[Result, str]] = {
    "positive": "10828004",
    "negative": "260385009",
    "not_interpretable": "373068000",
}
SNOMED_DISPLAY: Final[dict[str, str]] = {
    "10828004": "Positive",
    "260385009": "Negative",
    "373068000": "Undetermined",
}
RESULT_BY_SNOMED: Final[dict[str, Result]] = {v: k for k, v in SNOMED_BY_RESULT.items()}

# Specimen: a nasopharyngeal swab for every kind Relais handles.
SNOMED_SPECIMEN_SWAB: Final = "258500001"
SNOMED_SPECIMEN_SWAB_DISPLAY: Final = "Nasopharyngeal swab"

# Observation status (FHIR) and result status (HL7 OBX-11, table 0085) by action.
FHIR_STATUS_BY_ACTION: Final[dict[Action, str]] = {
    "create": "final",
    "correct": "amended",
    "cancel": "entered-in-error",
}
ACTION_BY_FHIR_STATUS: Final[dict[str, Action]] = {v: k for k, v in FHIR_STATUS_BY_ACTION.items()}
HL7_STATUS_BY_ACTION: Final[dict[Action, str]] = {"create": "F", "correct": "C", "cancel": "D"}
ACTION_BY_HL7_STATUS: Final[dict[str, Action]] = {v: k for k, v in HL7_STATUS_BY_ACTION.items()}

FHIR_GENDER_BY_SEX: Final[dict[Sex, str]] = {"F": "female", "M": "male", "U": "unknown"}
