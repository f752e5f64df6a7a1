"""The machine's own limits, measured in the same run as Relais: the yardsticks of ratios.

* PostgreSQL: rows the size of one sealed screening record plus its audit leaf, inserted
  with psycopg (no Django) and ``synchronous_commit = on``: one transaction per row from as
  many connections as the server has threads (single submissions), and 1,000 rows per
  transaction (batch submissions).
* AES-256-GCM (``cryptography``): seal and open the 12 fields of a record, same sizes.
* Argon2id (argon2-cffi): one verification with the project hasher's parameters.
* SHA-256: RFC 9162 leaf hashes of audit leaves of the same size.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import threading
import time
import uuid

from bench.figures import Limit
from bench.stack import Stack
from bench.stats import percentile

RAW_TABLE = "bench_raw_record"
INSERT = "INSERT INTO bench_raw_record (pharmacy_id, payload) VALUES (%s, %s)"


def sealed_record_bytes() -> int:
    """Bytes of one screening record's 12 sealed fields plus one audit leaf."""
    from relais.audit.perf import synthetic_leaves
    from relais.vault.codec import encode_value
    from relais.vault.envelope import Context, seal
    from relais.vault.perf import RECORD

    key_id, record_id = uuid.uuid4(), str(uuid.uuid4())
    dek = os.urandom(32)
    sealed = sum(
        len(seal(dek, key_id, Context(1, "screening.Patient", f, record_id, "2022-01"), v))
        for f, v in ((f, encode_value(v)) for f, v in RECORD.items())
    )
    return sealed + len(synthetic_leaves(1)[0])


def _create_table(stack: Stack) -> None:
    with stack.connect() as conn:
        conn.execute(
            f"CREATE TABLE {RAW_TABLE} (id bigserial PRIMARY KEY, pharmacy_id integer NOT NULL,"
            " created_at timestamptz NOT NULL DEFAULT now(), payload bytea NOT NULL)"
        )


def _insert_single(stack: Stack, payload: bytes, stop_at: float, out: list[float]) -> None:
    with stack.connect() as conn:
        conn.execute("SET synchronous_commit TO on")
        conn.commit()
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.execute(INSERT, (1, payload))
            conn.commit()
            out.append(time.perf_counter() - started)


def measure_pg_single(stack: Stack, connections: int, seconds: float) -> tuple[Limit, Limit]:
    """Single-row transactions/s and their p99 latency (ms), ``connections`` in parallel."""
    payload = os.urandom(sealed_record_bytes())
    stop_at = time.monotonic() + seconds
    per_thread: list[list[float]] = [[] for _ in range(connections)]
    threads = [
        threading.Thread(target=_insert_single, args=(stack, payload, stop_at, out))
        for out in per_thread
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [x for out in per_thread for x in out]
    rate = Limit(
        "pg_single_tps",
        f"psycopg 1 row/tx, {connections} conns",
        len(latencies) / elapsed,
        "rows/s",
        higher_is_better=True,
    )
    p99 = Limit(
        "pg_single_p99_ms",
        "psycopg 1 row/tx commit p99",
        percentile(latencies, 99) * 1000,
        "ms",
        higher_is_better=False,
    )
    return rate, p99


def measure_pg_batch(stack: Stack, batch_size: int, batches: int) -> Limit:
    """Rows/s inserted ``batch_size`` rows per transaction (psycopg pipelined executemany)."""
    payload = os.urandom(sealed_record_bytes())
    rows: list[tuple[int, bytes]] = [(1, payload)] * batch_size
    with stack.connect() as conn:
        conn.execute("SET synchronous_commit TO on")
        conn.commit()
        started = time.perf_counter()
        for _ in range(batches):
            with conn.cursor() as cur:
                cur.executemany(INSERT, rows)
            conn.commit()
        elapsed = time.perf_counter() - started
    return Limit(
        "pg_batch_rows",
        f"psycopg {batch_size} rows/tx",
        batch_size * batches / elapsed,
        "records/s",
        higher_is_better=True,
    )


def measure_aes_gcm(records: int) -> Limit:
    """µs to seal and open the 12 fields of one record with bare AES-256-GCM."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from relais.vault.codec import encode_value
    from relais.vault.perf import RECORD

    fields = [(f.encode(), encode_value(v)) for f, v in RECORD.items()]
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    started = time.perf_counter()
    for index in range(records):
        record_id = str(index).encode()
        for name, plaintext in fields:
            aad = b"1|screening.Patient|" + name + b"|" + record_id
            nonce = os.urandom(12)
            aead.decrypt(nonce, aead.encrypt(nonce, plaintext, aad), aad)
    per_record = (time.perf_counter() - started) * 1e6 / records
    return Limit("aes_gcm_us", "AES-256-GCM seal+open, 12 fields", per_record, "µs/record", False)


def measure_argon2(rounds: int) -> Limit:
    """ms per Argon2id verification with the project hasher's parameters."""
    from argon2 import PasswordHasher, Type

    from relais.accounts.hashers import RelaisArgon2PasswordHasher as Hasher

    hasher = PasswordHasher(
        time_cost=Hasher.time_cost,
        memory_cost=Hasher.memory_cost,
        parallelism=Hasher.parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )
    encoded = hasher.hash("correct horse battery staple")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.verify(encoded, "correct horse battery staple")
        times.append(time.perf_counter() - started)
    label = f"argon2-cffi m={Hasher.memory_cost} KiB t={Hasher.time_cost} p={Hasher.parallelism}"
    return Limit("argon2_ms", label, statistics.median(times) * 1000, "ms/login", False)


def measure_sha256_leaves(count: int) -> Limit:
    """RFC 9162 leaf hashes per second over audit leaves of the benchmark's size."""
    from relais.audit.perf import synthetic_leaves

    leaves = synthetic_leaves(count)
    sha256 = hashlib.sha256
    started = time.perf_counter()
    for leaf in leaves:
        sha256(b"\x00" + leaf).digest()
    rate = count / (time.perf_counter() - started)
    return Limit("sha256_leaves", "SHA-256 leaf hashing", rate, "events/s", True)


def measure_all(stack: Stack, quick: bool, connections: int) -> dict[str, Limit]:
    """Every limit, keyed for the scenarios; quick mode measures for less time."""
    _create_table(stack)
    single, single_p99 = measure_pg_single(stack, connections, 5 if quick else 15)
    found: list[Limit] = [
        single,
        single_p99,
        measure_pg_batch(stack, 1000, 10 if quick else 30),
        measure_aes_gcm(5_000 if quick else 20_000),
        measure_argon2(5 if quick else 20),
        measure_sha256_leaves(200_000 if quick else 1_000_000),
    ]
    return {limit.key: limit for limit in found}
