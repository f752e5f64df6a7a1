"""A returning patient: found by NIR or e-mail (blind index), then only the test is typed.

The counter must not re-type nor even display the full identity, so the identity is read
back here, on the server, and handed to `record_screening` unchanged; the patient row is
found again by its blind indexes there.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.core.services import service
from relais.screening.errors import PatientNotFoundError
from relais.screening.models import Patient
from relais.screening.patients import record_to_body
from relais.screening.readmodels import RecordOutcome
from relais.screening.services.records import record_screening


@service
def record_for_patient(
    actor: Actor, pharmacy_id: int, patient_id: str, test_data: Mapping[str, Any]
) -> RecordOutcome:
    """Record `test_data` for the pharmacy's patient `patient_id` (another pharmacy's or an
    unknown id is "not found")."""
    require(actor, Action.SCREENING_CREATE, pharmacy_id)
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError:
        key = None
    patient = Patient.objects.filter(pharmacy_id=pharmacy_id, pk=key).first() if key else None
    if patient is None:
        raise PatientNotFoundError(actor, Action.SCREENING_CREATE, pharmacy_id)
    body = {key: value for key, value in test_data.items() if key != "patient"}
    body["patient"] = record_to_body(patient)
    return record_screening(actor, pharmacy_id, body)
