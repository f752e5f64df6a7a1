"""Builder throughput (not a test): `python tests/relay/timing_messages.py`.

Prints screenings/s and bundle entries/s for each FHIR validation mode, and HL7 rates.
"""

from __future__ import annotations

import json
import sys
import time

from relais.relay.messages import build_fhir_bundle, build_hl7_batch
from relais.relay.messages.samples import sample_screening

BATCH = 200
BATCHES = 25


def main() -> None:
    items = [sample_screening(n) for n in range(BATCH * BATCHES)]
    for mode in ("full", "sample", "none"):
        started = time.perf_counter()
        entries = 0
        for start in range(0, len(items), BATCH):
            bundle = build_fhir_bundle(items[start : start + BATCH], validate=mode)
            entries += len(bundle["entry"])
            json.dumps(bundle)
        elapsed = time.perf_counter() - started
        rate, entry_rate = len(items) / elapsed, entries / elapsed
        sys.stdout.write(f"fhir {mode:6}: {rate:8.0f} screenings/s {entry_rate:8.0f} entries/s\n")
    for mode in ("sample", "none"):
        started = time.perf_counter()
        for start in range(0, len(items), BATCH):
            build_hl7_batch(items[start : start + BATCH], batch_id=str(start), validate=mode)
        rate = len(items) / (time.perf_counter() - started)
        sys.stdout.write(f"hl7  {mode:6}: {rate:8.0f} messages/s\n")


if __name__ == "__main__":
    main()
