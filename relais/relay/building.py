"""From claimed transmissions to wire bodies, decrypting in memory only.

Each version is decrypted once through the screening app's canonical converter; a version
that cannot become a message is settled here, per message, so one bad record never holds a
batch: a shape error is permanent (rejected, waits for a correction), a purged version or
a destroyed key can never be sent (dead), anything else is retried. Errors keep the
exception's class or the canonical check's fixed text, never a value.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from relais.pharmacies.models import Pharmacy
from relais.relay.messages import (
    CanonicalError,
    CanonicalScreening,
    build_fhir_bundle,
    build_hl7_batch,
)
from relais.relay.models import Transmission
from relais.vault.errors import DecryptionError, DestroyedKeyError

logger = logging.getLogger("relais.relay")

Verdict = Literal["rejected", "dead", "retry"]


@dataclass(frozen=True, slots=True)
class BuildFailure:
    verdict: Verdict
    error: str


@dataclass(slots=True)
class Prepared:
    """The sendable items of a claim (per format) and the ones settled while building."""

    by_format: dict[str, list[tuple[Transmission, CanonicalScreening]]] = field(
        default_factory=dict
    )
    failures: dict[int, BuildFailure] = field(default_factory=dict)


def load(ids: Sequence[int]) -> list[Transmission]:
    """The claimed rows with their version, screening and patient (one joined query).

    Pharmacies are read once per batch and shared: a batch holds a handful of pharmacies
    but hundreds of rows, and a joined pharmacy would be built once per row.
    """
    rows = list(
        Transmission.objects.filter(id__in=ids)
        .select_related("version__screening__patient")
        .order_by("id")
    )
    screenings = [row.version.screening for row in rows if row.version is not None]
    pharmacies = Pharmacy.objects.in_bulk({screening.pharmacy_id for screening in screenings})
    for screening in screenings:
        if (pharmacy := pharmacies.get(screening.pharmacy_id)) is not None:
            screening.pharmacy = pharmacy
    return rows


def prepare(transmissions: Sequence[Transmission]) -> Prepared:
    from relais.screening.canonical import practitioner_names

    prepared = Prepared()
    versions = [row.version for row in transmissions if row.version is not None]
    names = practitioner_names(versions)
    for transmission in transmissions:
        outcome = _canonical(transmission, names)
        if isinstance(outcome, BuildFailure):
            prepared.failures[transmission.pk] = outcome
        else:
            prepared.by_format.setdefault(transmission.format, []).append((transmission, outcome))
    return prepared


def _canonical(
    transmission: Transmission, names: Mapping[int, str]
) -> CanonicalScreening | BuildFailure:
    from relais.screening.canonical import to_canonical

    if transmission.version is None:
        return BuildFailure("dead", "screening version no longer exists")
    try:
        return to_canonical(transmission.version, str(transmission.message_id), names)
    except CanonicalError as error:
        return BuildFailure("rejected", f"relais: {error}")
    except (DestroyedKeyError, DecryptionError) as error:
        return BuildFailure("dead", f"cannot decrypt: {type(error).__name__}")
    except Exception as error:  # any other failure is retried, then dead
        logger.warning("transmission %s: build failed (%s)", transmission.pk, type(error).__name__)
        return BuildFailure("retry", f"build failed: {type(error).__name__}")


def encode(message_format: str, items: Sequence[CanonicalScreening], batch_id: str) -> bytes:
    """One request body for `items` (a FHIR transaction Bundle or an HL7 BHS batch)."""
    if message_format == "hl7":
        return build_hl7_batch(items, batch_id=batch_id).encode("utf-8")
    bundle = build_fhir_bundle(items, batch_id=batch_id)
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
