"""The scoring model, read and compiled once per (database, change sequence, point in time).

Reading every framing, assumption and chip and compiling their criteria on each request was
the largest cost of POST /score in the profile (bench/README.md). What a point in time sees can
only change when a version is appended, and every append raises the change sequence (versions
are never updated or deleted: the database's triggers refuse it; releases never change either).
So (database file, max seq, as_of, release) names one model exactly, and a cached model is
the very model a fresh read would build: a score stays a pure function of the control and the
model versions it names. Each app and process keeps its own small LRU.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app

from service.db import database_key

EXTENSION = "framings.models"
SIZE = 32  # distinct points in time kept: latest, a few releases, recent as_of values


class ModelCache:
    def __init__(self, size: int = SIZE):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = build()  # outside the lock: two threads may both build; both are right
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


def cached_model(seq: int, point, build: Callable):
    """The model for `point` when the database's latest change is `seq`; built on a miss.

    `seq` must be read before `build` runs, so a model is never older than its key says.
    """
    extensions = current_app.extensions
    cache = extensions.get(EXTENSION)
    if cache is None:  # not setdefault(EXTENSION, ModelCache()): that builds one every call
        cache = extensions.setdefault(EXTENSION, ModelCache())
    return cache.get((database_key(), seq, point), build)
