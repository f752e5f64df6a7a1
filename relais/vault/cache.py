"""A small LRU cache with expiry for unwrapped keys (process memory only, never logged)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class TtlLru[K, V]:
    """Entries expire after ``ttl`` seconds so a key destroyed or rotated by another process
    stops being used here within that delay; ``clear`` makes it immediate locally."""

    def __init__(self, max_entries: int, ttl: float) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __repr__(self) -> str:
        return f"<TtlLru {len(self._entries)} entries>"  # never the keys' values
