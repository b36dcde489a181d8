"""The database's shape: migrations, and opening a connection tuned for this workload."""

import errno
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("framings")


@migrations()
def m001_versions(db: Database) -> None:
    db.execute("""
        CREATE TABLE versions (
            seq INTEGER PRIMARY KEY,
            kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
            recorded_at TEXT NOT NULL, author TEXT NOT NULL, change_note TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0, body TEXT,
            UNIQUE (kind, id, version))""")
    db.execute("CREATE INDEX versions_kind_time ON versions (kind, recorded_at)")
    # The head row makes "latest" one primary-key lookup however long the history grows.
    db.execute("""
        CREATE TABLE heads (
            kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL,
            PRIMARY KEY (kind, id)) WITHOUT ROWID""")
    db.execute("""
        CREATE TRIGGER versions_advance_head AFTER INSERT ON versions BEGIN
            INSERT INTO heads (kind, id, version, seq, deleted)
            VALUES (new.kind, new.id, new.version, new.seq, new.deleted)
            ON CONFLICT (kind, id) DO UPDATE SET
                version = excluded.version, seq = excluded.seq, deleted = excluded.deleted;
        END""")
    # Recorded history is immutable: the database itself refuses to rewrite or drop it.
    for event in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER versions_no_{event.lower()} BEFORE {event} ON versions BEGIN
                SELECT RAISE(ABORT, 'versions are immutable');
            END""")


@migrations()
def m002_releases(db: Database) -> None:
    db.execute("""
        CREATE TABLE releases (
            name TEXT PRIMARY KEY, created_at TEXT NOT NULL, author TEXT NOT NULL,
            description TEXT NOT NULL, seq INTEGER NOT NULL)""")
    db.execute("""
        CREATE TABLE release_items (
            release TEXT NOT NULL REFERENCES releases (name), kind TEXT NOT NULL,
            id TEXT NOT NULL, version INTEGER NOT NULL,
            PRIMARY KEY (release, kind, id)) WITHOUT ROWID""")
    for table in ("releases", "release_items"):
        for event in ("UPDATE", "DELETE"):
            db.execute(f"""
                CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN
                    SELECT RAISE(ABORT, 'releases never change');
                END""")


@migrations()
def m003_tokens_and_idempotency(db: Database) -> None:
    db.execute("""
        CREATE TABLE tokens (
            name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, revoked_at TEXT)""")
    db.execute("""
        CREATE TABLE idempotency (
            key TEXT NOT NULL, token TEXT NOT NULL, request_hash TEXT NOT NULL,
            status INTEGER NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL,
            created_at TEXT NOT NULL, PRIMARY KEY (token, key)) WITHOUT ROWID""")


@migrations()
def m004_rate_limits(db: Database) -> None:
    # One row per token: the start of its current window and the writes counted in it.
    db.execute("""
        CREATE TABLE rate_limits (
            token TEXT PRIMARY KEY, started_at REAL NOT NULL, count INTEGER NOT NULL)
        WITHOUT ROWID""")


@migrations()
def m005_token_expiry(db: Database) -> None:
    # NULL: the token never expires (every token made before expiry existed).
    db.execute("ALTER TABLE tokens ADD COLUMN expires_at TEXT")


def open_db(path: str, *, readonly: bool = False, immutable: bool = False) -> Database:
    """Open a connection tuned for many readers and one writer at a time.

    `immutable` is for release snapshots, files that never change: SQLite then takes no locks
    and keeps no journal, so replicas read them with no coordination at all.
    """
    readonly = readonly or immutable
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    if immutable:
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged write survives power loss too; writes are rare here.
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


SQLITE_FULL = 13  # "database or disk is full" (https://sqlite.org/rescode.html#full)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def out_of_space(error: BaseException) -> bool:
    """Whether a write failed for want of disk space (or quota): nothing was written, and
    the same write may succeed once space is freed."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == SQLITE_FULL
    return isinstance(error, OSError) and error.errno in NO_SPACE


def migrate(db: Database) -> None:
    migrations.apply(db)
