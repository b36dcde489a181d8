"""The only module that speaks SQL: an append-only version store on SQLite via sqlite-utils."""

import json
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from service.timeutil import now_utc

migrations = Migrations("framings")


class Conflict(Exception):
    """The write was based on a version that is no longer the latest (or the id is taken)."""


@dataclass(frozen=True)
class Version:
    kind: str
    id: str
    version: int
    seq: int
    recorded_at: str
    author: str
    change_note: str
    deleted: bool
    body: dict | None


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


def migrate(db: Database) -> None:
    migrations.apply(db)


def _row_to_version(row: sqlite3.Row | tuple) -> Version:
    seq, kind, id_, version, recorded_at, author, note, deleted, body = row
    return Version(
        kind=kind,
        id=id_,
        version=version,
        seq=seq,
        recorded_at=recorded_at,
        author=author,
        change_note=note,
        deleted=bool(deleted),
        body=json.loads(body) if body else None,
    )


COLUMNS = (
    "v.seq, v.kind, v.id, v.version, v.recorded_at, v.author, v.change_note, v.deleted, v.body"
)


@dataclass(frozen=True)
class Point:
    """Which version of each resource a read sees: the latest, as of a time, or a release."""

    as_of: str | None = None
    release: str | None = None


def _selection(point: Point) -> tuple[str, list]:
    """SQL (joins and conditions) choosing one version per resource for this point in time."""
    if point.release is not None:
        return (
            "JOIN release_items r ON r.release = ? AND r.kind = v.kind AND r.id = v.id "
            "AND r.version = v.version",
            [point.release],
        )
    if point.as_of is not None:
        return (
            "WHERE v.version = (SELECT MAX(o.version) FROM versions o WHERE o.kind = v.kind "
            "AND o.id = v.id AND o.recorded_at <= ?)",
            [point.as_of],
        )
    return "JOIN heads h ON h.kind = v.kind AND h.id = v.id AND h.version = v.version", []


def _where(clause: str, condition: str) -> str:
    return f"{clause} {'AND' if 'WHERE' in clause else 'WHERE'} {condition}"


def get_current(db: Database, kind: str, id_: str, point: Point = Point()) -> Version | None:
    """The version a reader at `point` sees, tombstones included (the caller answers 410)."""
    clause, params = _selection(point)
    sql = f"SELECT {COLUMNS} FROM versions v " + _where(clause, "v.kind = ? AND v.id = ?")
    row = db.execute(sql, [*params, kind, id_]).fetchone()
    return _row_to_version(row) if row else None


def _filter_sql(filters: dict[str, tuple[str, str, str]]) -> tuple[list[str], list]:
    """Turn {name: (json path, mode, value)} into conditions; values are always parameters."""
    conditions, params = [], []
    for path, mode, value in filters.values():
        if mode == "contains":
            conditions.append("EXISTS (SELECT 1 FROM json_each(v.body, ?) WHERE value = ?)")
        else:
            conditions.append("json_extract(v.body, ?) = ?")
        params += [path, value]
    return conditions, params


def list_current(
    db: Database,
    kind: str,
    point: Point = Point(),
    *,
    filters=None,
    after: str | None = None,
    limit: int = 50,
) -> list[Version]:
    """Live resources of a kind at `point`, ordered by id, from the id after `after`."""
    clause, params = _selection(point)
    conditions, filter_params = _filter_sql(filters or {})
    conditions = ["v.kind = ?", "v.deleted = 0", *conditions]
    params = [*params, kind, *filter_params]
    if after is not None:
        conditions.append("v.id > ?")
        params.append(after)
    sql = f"SELECT {COLUMNS} FROM versions v " + _where(clause, " AND ".join(conditions))
    rows = db.execute(sql + " ORDER BY v.id LIMIT ?", [*params, limit]).fetchall()
    return [_row_to_version(row) for row in rows]


SQLITE_MAX_INT = 2**63 - 1


def get_version(db: Database, kind: str, id_: str, number: int) -> Version | None:
    if not 0 < number <= SQLITE_MAX_INT:
        return None  # no such version; SQLite could not even hold the number
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.kind = ? AND v.id = ? AND v.version = ?"
    row = db.execute(sql, [kind, id_, number]).fetchone()
    return _row_to_version(row) if row else None


def list_versions(
    db: Database, kind: str, id_: str, *, after: int = 0, limit: int = 50
) -> list[Version]:
    sql = (
        f"SELECT {COLUMNS} FROM versions v WHERE v.kind = ? AND v.id = ? AND v.version > ? "
        "ORDER BY v.version LIMIT ?"
    )
    return [_row_to_version(r) for r in db.execute(sql, [kind, id_, after, limit]).fetchall()]


def head_version(db: Database, kind: str, id_: str) -> int | None:
    row = db.execute("SELECT version FROM heads WHERE kind = ? AND id = ?", [kind, id_]).fetchone()
    return row[0] if row else None


def live_ids(db: Database, kind: str) -> set[str]:
    rows = db.execute("SELECT id FROM heads WHERE kind = ? AND deleted = 0", [kind]).fetchall()
    return {row[0] for row in rows}


def max_seq(db: Database) -> int:
    return db.execute("SELECT COALESCE(MAX(seq), 0) FROM versions").fetchone()[0]


def release_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM releases WHERE name = ?", [name]).fetchone() is not None


def all_versions(db: Database) -> list[Version]:
    """Every version ever recorded, in seq order (for export and the change feed)."""
    sql = f"SELECT {COLUMNS} FROM versions v ORDER BY v.seq"
    return [_row_to_version(row) for row in db.execute(sql).fetchall()]


def append(
    db: Database,
    kind: str,
    id_: str,
    body: dict | None,
    *,
    author: str,
    change_note: str,
    expected: int | None,
    recorded_at: str | None = None,
) -> Version:
    """Append version expected+1 (or 1 when expected is None) if the head is still `expected`.

    The guard and the insert are one statement, so the first thing the transaction does is
    take SQLite's write lock: two writers from the same version can never both succeed.
    """
    number = 1 if expected is None else expected + 1
    guard = "NOT EXISTS (SELECT 1 FROM heads WHERE kind = ? AND id = ?)"
    guard_params = [kind, id_]
    if expected is not None:
        guard = "(SELECT version FROM heads WHERE kind = ? AND id = ?) = ?"
        guard_params.append(expected)
    when = recorded_at or now_utc()
    payload = None if body is None else json.dumps(body, ensure_ascii=False)
    with db.atomic():
        try:
            cursor = db.execute(
                "INSERT INTO versions (kind, id, version, recorded_at, author, change_note, "
                f"deleted, body) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE {guard}",
                [
                    kind,
                    id_,
                    number,
                    when,
                    author,
                    change_note,
                    int(body is None),
                    payload,
                    *guard_params,
                ],
            )
        except sqlite3.IntegrityError as error:
            raise Conflict(f"{kind}/{id_} version {number} already exists") from error
        if cursor.rowcount != 1:
            raise Conflict(f"{kind}/{id_} is not at version {expected}")
        seq = cursor.lastrowid
    return Version(kind, id_, number, seq, when, author, change_note, body is None, body)


# --- tokens, idempotency and releases ---


@dataclass(frozen=True)
class Token:
    name: str
    role: str
    created_at: str
    revoked_at: str | None


def add_token(db: Database, name: str, role: str, token_hash: str) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
            [name, role, token_hash, now_utc()],
        )


def token_by_hash(db: Database, token_hash: str) -> Token | None:
    row = db.execute(
        "SELECT name, role, created_at, revoked_at FROM tokens WHERE hash = ? "
        "AND revoked_at IS NULL",
        [token_hash],
    ).fetchone()
    return Token(*row) if row else None


def list_tokens(db: Database) -> list[Token]:
    rows = db.execute("SELECT name, role, created_at, revoked_at FROM tokens ORDER BY name")
    return [Token(*row) for row in rows.fetchall()]


def revoke_token(db: Database, name: str) -> bool:
    with db.atomic():
        cursor = db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            [now_utc(), name],
        )
    return cursor.rowcount == 1


def remembered_answer(db: Database, token: str, key: str) -> tuple | None:
    """(request_hash, status, headers, body) stored for an Idempotency-Key, if any."""
    return db.execute(
        "SELECT request_hash, status, headers, body FROM idempotency WHERE token = ? AND key = ?",
        [token, key],
    ).fetchone()


def remember_answer(
    db: Database, token: str, key: str, request_hash: str, status: int, headers: dict, body: str
) -> None:
    db.execute(
        "INSERT INTO idempotency (key, token, request_hash, status, headers, body, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [key, token, request_hash, status, json.dumps(headers), body, now_utc()],
    )


@dataclass(frozen=True)
class Release:
    name: str
    created_at: str
    author: str
    description: str
    seq: int


def create_release(db: Database, name: str, author: str, description: str) -> Release:
    """Freeze the live head of every resource under `name`; a taken name is a Conflict."""
    created_at = now_utc()
    with db.atomic():
        # The first statement writes, so the transaction holds the write lock before it reads
        # max(seq): a concurrent writer waits rather than slipping in between.
        try:
            db.execute(
                "INSERT INTO releases (name, created_at, author, description, seq) "
                "SELECT ?, ?, ?, ?, COALESCE(MAX(seq), 0) FROM versions",
                [name, created_at, author, description],
            )
        except sqlite3.IntegrityError as error:
            raise Conflict(f"release {name} already exists") from error
        seq = db.execute("SELECT seq FROM releases WHERE name = ?", [name]).fetchone()[0]
        db.execute(
            "INSERT INTO release_items (release, kind, id, version) "
            "SELECT ?, kind, id, version FROM heads WHERE deleted = 0",
            [name],
        )
    return Release(name, created_at, author, description, seq)


def get_release(db: Database, name: str) -> Release | None:
    row = db.execute(
        "SELECT name, created_at, author, description, seq FROM releases WHERE name = ?", [name]
    ).fetchone()
    return Release(*row) if row else None


def list_releases(db: Database, *, after: str | None = None, limit: int = 50) -> list[Release]:
    rows = db.execute(
        "SELECT name, created_at, author, description, seq FROM releases "
        "WHERE name > ? ORDER BY name LIMIT ?",
        [after or "", limit],
    )
    return [Release(*row) for row in rows.fetchall()]


def release_manifest(db: Database, name: str) -> dict[str, int]:
    rows = db.execute(
        "SELECT kind, id, version FROM release_items WHERE release = ? ORDER BY kind, id", [name]
    )
    return {f"{kind}/{id_}": version for kind, id_, version in rows.fetchall()}


def backup(db: Database, path: str) -> None:
    """A consistent copy while writers run (SQLite's online backup API)."""
    target = sqlite3.connect(path)
    with target:
        db.conn.backup(target)
    target.close()


SECRET_TABLES = ("tokens", "idempotency", "rate_limits")


def scrub_secrets(path: str) -> None:
    """Empty the tables that hold credentials or callers' answers in a copy made for publishing.

    VACUUM rewrites the file so the deleted rows do not linger in free pages.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        for table in SECRET_TABLES:
            if table in present:
                conn.execute(f"DELETE FROM {table}")  # names are constants, never input
        conn.execute("VACUUM")
    finally:
        conn.close()


# --- change feed ---


def changes_since(db: Database, since: int, limit: int) -> list[Version]:
    """Up to `limit` versions with seq > since, oldest first (seq is gap-free: a cursor)."""
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.seq > ? ORDER BY v.seq LIMIT ?"
    return [_row_to_version(row) for row in db.execute(sql, [since, limit]).fetchall()]


def latest_changes(db: Database, limit: int, *, since: int = 0) -> list[Version]:
    """The `limit` most recent versions with seq > since, newest first."""
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.seq > ? ORDER BY v.seq DESC LIMIT ?"
    return [_row_to_version(row) for row in db.execute(sql, [since, limit]).fetchall()]


# --- rate limiting ---


def count_write(db: Database, token: str, now: float, period: float) -> tuple[float, int]:
    """Count one write by `token`: (start of its window, writes in it, this one included).

    A window opens at a token's first write and lasts `period` seconds. One statement reads,
    resets or increments the counter, so every worker process sharing the file sees one count.
    """
    rows = db.execute(
        "INSERT INTO rate_limits (token, started_at, count) VALUES (?, ?, 1) "
        "ON CONFLICT (token) DO UPDATE SET "
        "count = CASE WHEN excluded.started_at >= started_at + ? THEN 1 ELSE count + 1 END, "
        "started_at = CASE WHEN excluded.started_at >= started_at + ? "
        "THEN excluded.started_at ELSE started_at END "
        "RETURNING started_at, count",
        [token, now, period, period],
    ).fetchall()  # stepping to the end is what commits the statement
    return rows[0][0], rows[0][1]
