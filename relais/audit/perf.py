"""Throughput measurement of audit verification, for the benchmark harness.

Target: one 2-core node verifies the national peak's worth of audit events quickly, i.e.
at least 200,000 events/s for ``relais audit verify`` in pure Python.
"""

from __future__ import annotations

import time

from relais.audit.checkpoint import Checkpoint
from relais.audit.merkle import LeafValue, MerkleAccumulator, encode_leaf, leaf_hashes
from relais.audit.verify_core import verify_log

_ORIGIN = "relais.bench/audit"


def synthetic_leaves(n: int) -> list[bytes]:
    """Realistic audit leaves (ids only, about 200 bytes), built once outside the timing."""
    template: dict[str, LeafValue] = {
        "action": "screening.read",
        "actor_id": "user-0001",
        "actor_type": "user",
        "client_ip": "192.0.2.10",
        "object_type": "screening",
        "outcome": "success",
        "pharmacy_id": 42,
        "request_id": "0f3c6c1e9b2a4d7e8a1b2c3d4e5f6a7b",
    }
    return [
        encode_leaf({**template, "seal_position": index, "occurred_at": 1_700_000_000 + index})
        for index in range(n)
    ]


def checkpoints_every(
    hashes: list[bytes], interval: int, origin: str = _ORIGIN
) -> list[Checkpoint]:
    """Checkpoints as the sealer would publish them, every ``interval`` events and at the end."""
    tree, result = MerkleAccumulator(), []
    for start in range(0, len(hashes), interval):
        tree.extend(hashes[start : start + interval])
        result.append(Checkpoint(origin, tree.size, tree.root()))
    return result


def measure_verification(n: int, *, checkpoint_interval: int = 10_000) -> float:
    """Verify ``n`` synthetic events (content + stored leaf hashes) and return events/s.

    Only :func:`verify_log` is timed: leaf hashing, position checks, stored-hash checks,
    tree building and every checkpoint comparison. Reading rows from the database is not.
    """
    leaves = synthetic_leaves(n)
    hashes = leaf_hashes(leaves)
    checkpoints = checkpoints_every(hashes, checkpoint_interval)
    records = list(zip(range(n), leaves, hashes, strict=True))
    started = time.perf_counter()
    report = verify_log(records, checkpoints)
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise RuntimeError(f"benchmark log failed verification: {report.problem}")
    return n / elapsed
