"""Tamper-evident audit log: append-only events, Merkle tree, signed checkpoints."""
