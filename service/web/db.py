"""Database lifecycle: one connection per app, process and thread, reused across requests.

Opening a connection (connect plus PRAGMAs, `journal_mode` taking a lock) cost a third of a
resource read in the profile (bench/README.md), more than the read itself. Gunicorn's sync
workers serve one request at a time, so each worker keeps one connection. It is reopened when
the process forks or the file at DATABASE is replaced (a new snapshot), so a reused connection
never reads a file that a fresh one would not.
"""

import itertools
import os
import threading

from flask import Flask, current_app, g

from service import store

EXTENSION = "framings.db"
# Numbers each connection opened by this process; caches of immutable rows key on it.
_opened = itertools.count(1)


def _file_identity(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _slot():
    """This thread's slot for the current app: its connection, opened again if its file changed."""
    return slot_of(current_app._get_current_object())  # the proxy once, not once per attribute


def slot_of(app: Flask):
    """This thread's slot for `app` (its connection, file key and connection number), opened
    again if its file changed. Also for code below Flask that has no app context (web/memo)."""
    slot = app.extensions[EXTENSION]
    config = app.config
    path = config["DATABASE"]
    readonly = config.get("READ_ONLY", False)
    key = (os.getpid(), path, readonly, _file_identity(path))
    if getattr(slot, "key", None) != key:
        # The old connection, if any, closes when its last request lets go of it.
        slot.db = store.open_db(path, readonly=readonly, immutable=config.get("IMMUTABLE", False))
        slot.key = (os.getpid(), path, readonly, _file_identity(path))
        slot.generation = next(_opened)
    return slot


def _connection() -> store.Database:
    """This thread's connection for the current app, opened again if its file changed."""
    return _slot().db


def get_db() -> store.Database:
    db = g.get("db")
    if db is None:
        slot = _slot()
        db = g.db = slot.db
        g.db_number = slot.generation
    return db


def database_key() -> tuple:
    """Names the database file the current connection reads (changes when it is replaced)."""
    get_db()
    return current_app.extensions[EXTENSION].key


def connection_number() -> int:
    """Names the connection the current request reads through, unlike any other in the process.

    Safer than database_key for caches of rows that never change: a connection keeps its file
    open, so while it is in use no other file can take that file's inode, and a file that
    replaces it later is read through a new connection with a new number.
    """
    number = g.get("db_number")
    if number is None:  # set with g.db, and popped with it
        get_db()
        number = g.db_number
    return number


def close_db(_error=None) -> None:
    """End the request's use of the connection; a transaction left open is rolled back."""
    db = g.pop("db", None)
    g.pop("db_number", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = threading.local()
    app.teardown_appcontext(close_db)
