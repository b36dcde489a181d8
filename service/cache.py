"""The one cache class: a thread-safe LRU bounded by total weight (entries, or bytes).

Used for compiled framings (scoring), scoring models per point in time (web.model) and encoded
versions (representations.respond). Pure: imports nothing from the project, nor Flask.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

MISSING = object()


class LRU:
    """Least recently used entries go first once the weights add up to more than `limit`.

    `weight(value)` is 1 by default, so `limit` counts entries; pass `len` of the encoded
    bytes, say, to bound memory instead.
    """

    def __init__(self, limit: int, weight: Callable[[object], int] = lambda value: 1):
        self.limit = limit
        self.weight = weight
        self.total = 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: Hashable, default=None):
        with self.lock:
            value = self.entries.get(key, MISSING)
            if value is MISSING:
                return default
            self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self.lock:
            old = self.entries.pop(key, MISSING)
            if old is not MISSING:
                self.total -= self.weight(old)
            self.entries[key] = value
            self.total += self.weight(value)
            while self.total > self.limit:
                _, evicted = self.entries.popitem(last=False)
                self.total -= self.weight(evicted)

    def get_or_build(self, key: Hashable, build: Callable):
        """The entry for `key`, built and kept on a miss (built outside the lock: two threads
        may both build it; both are right)."""
        value = self.get(key, MISSING)
        if value is MISSING:
            value = build()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.total = 0
