"""Simulator throughput over mutual TLS (not a test):
`python tests/sidep_sim/timing_sidep_sim.py [batches] [concurrency]`.

Starts the simulator as a real process with fresh certificates, posts pre-built bundles of
200 screenings from `concurrency` connections, prints accepted messages per second.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sidep_sim_helpers import start_simulator_process

from relais.relay.messages import build_fhir_bundle
from relais.relay.messages.samples import sample_screening
from relais.sidep_sim.certs import init_certs

BATCH = 200


async def _post_all(base_url: str, certs: Path, bodies: list[bytes], concurrency: int) -> int:
    context = ssl.create_default_context(cafile=certs / "ca.pem")
    context.load_cert_chain(certs / "client.pem", certs / "client.key")
    queue = list(reversed(bodies))
    accepted = 0
    headers = {"Content-Type": "application/fhir+json"}

    async def worker() -> None:
        nonlocal accepted
        async with httpx.AsyncClient(verify=context, base_url=base_url, timeout=60) as client:
            while queue:
                response = await client.post("/fhir", content=queue.pop(), headers=headers)
                acks = response.json()["acknowledgements"]
                accepted += sum(1 for ack in acks if ack["outcome"] == "accepted")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return accepted


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    items = [sample_screening(n) for n in range(BATCH * batches)]
    bodies = [
        json.dumps(build_fhir_bundle(items[i : i + BATCH], validate="none")).encode()
        for i in range(0, len(items), BATCH)
    ]
    with tempfile.TemporaryDirectory() as directory:
        certs = Path(directory)
        init_certs(certs)
        simulator = start_simulator_process(certs)
        try:
            started = time.perf_counter()
            accepted = asyncio.run(_post_all(simulator.base_url, certs, bodies, concurrency))
            elapsed = time.perf_counter() - started
        finally:
            simulator.stop()
    sys.stdout.write(
        f"{accepted} accepted of {len(items)} in {elapsed:.2f}s: {accepted / elapsed:.0f} msgs/s "
        f"(batches of {BATCH}, {concurrency} connections, mTLS)\n"
    )


if __name__ == "__main__":
    main()
