"""The closed vocabularies of a screening (test kind, result, version action, status).

The values are the API's (issue 8) and the canonical message's, so they come from the relay's
one table of codes; the LOINC code of a kind is derived there too (DESIGN.md §7) and nowhere
else.
"""

from __future__ import annotations

from typing import Final

from django.db import models

from relais.relay.messages.codes import LOINC_BY_KIND, TestKind


class Kind(models.TextChoices):
    RAPID_ANTIGEN = "rapid_antigen", "Test antigénique rapide"
    RT_PCR = "rt_pcr", "Prélèvement RT-PCR"
    SUPERVISED_SELF_TEST = "supervised_self_test", "Autotest supervisé"


class Result(models.TextChoices):
    POSITIVE = "positive", "Positif"
    NEGATIVE = "negative", "Négatif"
    NOT_INTERPRETABLE = "not_interpretable", "Non interprétable"


class VersionAction(models.TextChoices):
    CREATE = "create", "Création"
    CORRECT = "correct", "Correction"
    CANCEL = "cancel", "Annulation"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Annulée"


# A rapid antigen test names its device (EU list); a supervised self-test may; a PCR sample
# is analysed by a laboratory, so the pharmacy names no device.
DEVICE_REQUIRED: Final = frozenset({Kind.RAPID_ANTIGEN.value})
DEVICE_ALLOWED: Final = frozenset({Kind.RAPID_ANTIGEN.value, Kind.SUPERVISED_SELF_TEST.value})
# What the message names as "device" when the kind has none (the canonical shape needs one).
KIND_LABEL_EN: Final[dict[str, str]] = {
    Kind.RAPID_ANTIGEN.value: "Rapid antigen test",
    Kind.RT_PCR.value: "RT-PCR sample",
    Kind.SUPERVISED_SELF_TEST.value: "Supervised self-test",
}


def loinc_for(kind: str) -> str:
    """The LOINC code of a kind: 94558-4 (antigen, self-test) or 94500-6 (RT-PCR)."""
    key: TestKind = Kind(kind).value  # type: ignore[assignment]
    return LOINC_BY_KIND[key]
