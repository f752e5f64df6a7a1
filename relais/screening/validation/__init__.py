"""Validation of screening data to SI-DEP's standards, without Django.

Each validator returns a canonical value (plus non-blocking warnings where relevant) or
raises `relais.core.fielderrors.ValidationErrors` carrying one `FieldError` per invalid
field, with a stable code whose French and English texts (`MESSAGES`) the app registers
with `relais.core.fielderrors.render`.
"""

from relais.screening.validation.address import Address, validate_address
from relais.screening.validation.dates import (
    validate_birth_date,
    validate_sample_time,
    validate_symptoms_onset,
)
from relais.screening.validation.email import blind_index_normal_email, normalize_email
from relais.screening.validation.identity import (
    NO_NIR_REASONS,
    CleanPatient,
    validate_patient,
)
from relais.screening.validation.messages import MESSAGES
from relais.screening.validation.names import (
    blind_index_normal_identity,
    normalize_first_names,
    normalize_name,
)
from relais.screening.validation.nir import (
    mask_nir,
    nir_coherence_warnings,
    normalize_nir,
    validate_nir,
)
from relais.screening.validation.phone import validate_phone

__all__ = [
    "MESSAGES",
    "NO_NIR_REASONS",
    "Address",
    "CleanPatient",
    "blind_index_normal_email",
    "blind_index_normal_identity",
    "mask_nir",
    "nir_coherence_warnings",
    "normalize_email",
    "normalize_first_names",
    "normalize_name",
    "normalize_nir",
    "validate_address",
    "validate_birth_date",
    "validate_nir",
    "validate_patient",
    "validate_phone",
    "validate_sample_time",
    "validate_symptoms_onset",
]
