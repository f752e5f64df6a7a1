"""Message formats Relais sends to SI-DEP: FHIR R4 bundles and HL7 v2.5.1 ORU^R01.

Everything is built from one `CanonicalScreening`; the parsers are what a receiver (the
simulator, tests) reads back.
"""

from relais.relay.messages.canonical import (
    Address,
    CanonicalError,
    CanonicalScreening,
    Patient,
    Pharmacy,
    Practitioner,
)
from relais.relay.messages.fhir import build_fhir_bundle, validate_bundle
from relais.relay.messages.fhir_parse import parse_fhir_bundle
from relais.relay.messages.hl7 import build_hl7_batch, build_hl7_oru, parse_hl7
from relais.relay.messages.parsed import MessageBuildError, MessageInvalid, ParsedMessage

__all__ = [
    "Address",
    "CanonicalError",
    "CanonicalScreening",
    "MessageBuildError",
    "MessageInvalid",
    "ParsedMessage",
    "Patient",
    "Pharmacy",
    "Practitioner",
    "build_fhir_bundle",
    "build_hl7_batch",
    "build_hl7_oru",
    "parse_fhir_bundle",
    "parse_hl7",
    "validate_bundle",
]
