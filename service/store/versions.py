"""Versions: the append-only history of every resource, and reads of it at a point in time."""

import json
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from schemas.timeutil import now_utc


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


@dataclass(frozen=True)
class Undecoded:
    """A version's body as stored: JSON text, decoded only when asked (`decoded`).

    A page of versions whose encoded envelopes a reader keeps needs no body at all."""

    text: str

    def decoded(self) -> dict:
        return json.loads(self.text)


def _row_to_version(row: sqlite3.Row | tuple, decode: bool = True) -> Version:
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
        body=(json.loads(body) if decode else Undecoded(body)) if body else None,
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


def get_current(
    db: Database, kind: str, id_: str, point: Point = Point(), decode: bool = True
) -> Version | None:
    """The version a reader at `point` sees, tombstones included (the caller answers 410).

    `decode=False`: its body is left as Undecoded text."""
    clause, params = _selection(point)
    sql = f"SELECT {COLUMNS} FROM versions v " + _where(clause, "v.kind = ? AND v.id = ?")
    row = db.execute(sql, [*params, kind, id_]).fetchone()
    return _row_to_version(row, decode) if row else None


def _filter_sql(filters: dict[str, tuple[str, str, str | list[str]]]) -> tuple[list[str], list]:
    """Turn {name: (json path, mode, value or values)} into conditions, one per filter, each
    matching any of its values; values are always parameters."""
    conditions, params = [], []
    for path, mode, value in filters.values():
        values = list(dict.fromkeys(value)) if isinstance(value, list | tuple) else [value]
        marks = ", ".join("?" * len(values))
        if mode == "contains":
            conditions.append(
                f"EXISTS (SELECT 1 FROM json_each(v.body, ?) WHERE value IN ({marks}))"
            )
        else:
            conditions.append(f"json_extract(v.body, ?) IN ({marks})")
        params += [path, *values]
    return conditions, params


def list_current(
    db: Database,
    kind: str,
    point: Point = Point(),
    *,
    filters=None,
    after: str | None = None,
    limit: int = 50,
    decode: bool = True,
) -> list[Version]:
    """Live resources of a kind at `point`, ordered by id, from the id after `after`.

    `decode=False`: bodies are left as Undecoded text."""
    clause, params = _selection(point)
    conditions, filter_params = _filter_sql(filters or {})
    conditions = ["v.kind = ?", "v.deleted = 0", *conditions]
    params = [*params, kind, *filter_params]
    if after is not None:
        conditions.append("v.id > ?")
        params.append(after)
    sql = f"SELECT {COLUMNS} FROM versions v " + _where(clause, " AND ".join(conditions))
    rows = db.execute(sql + " ORDER BY v.id LIMIT ?", [*params, limit]).fetchall()
    return [_row_to_version(row, decode) for row in rows]


SQLITE_MAX_INT = 2**63 - 1


def get_version(db: Database, kind: str, id_: str, number: int) -> Version | None:
    if not 0 < number <= SQLITE_MAX_INT:
        return None  # no such version; SQLite could not even hold the number
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.kind = ? AND v.id = ? AND v.version = ?"
    row = db.execute(sql, [kind, id_, number]).fetchone()
    return _row_to_version(row) if row else None


def list_versions(
    db: Database, kind: str, id_: str, *, after: int = 0, limit: int = 50, decode: bool = True
) -> list[Version]:
    sql = (
        f"SELECT {COLUMNS} FROM versions v WHERE v.kind = ? AND v.id = ? AND v.version > ? "
        "ORDER BY v.version LIMIT ?"
    )
    rows = db.execute(sql, [kind, id_, after, limit]).fetchall()
    return [_row_to_version(r, decode) for r in rows]


def head_version(db: Database, kind: str, id_: str) -> int | None:
    row = db.execute("SELECT version FROM heads WHERE kind = ? AND id = ?", [kind, id_]).fetchone()
    return row[0] if row else None


def live_ids(db: Database, kind: str) -> set[str]:
    rows = db.execute("SELECT id FROM heads WHERE kind = ? AND deleted = 0", [kind]).fetchall()
    return {row[0] for row in rows}


def max_seq(db: Database) -> int:
    return db.execute("SELECT COALESCE(MAX(seq), 0) FROM versions").fetchone()[0]


def change_mark(db: Database) -> tuple[int, int]:
    """(latest change sequence, number of releases): what any read of the database can see
    changes only when one of them does (versions and releases are only ever added)."""
    return db.execute(
        "SELECT (SELECT COALESCE(MAX(seq), 0) FROM versions), (SELECT COUNT(*) FROM releases)"
    ).fetchone()


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


def changes_since(db: Database, since: int, limit: int) -> list[Version]:
    """Up to `limit` versions with seq > since, oldest first (seq is gap-free: a cursor)."""
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.seq > ? ORDER BY v.seq LIMIT ?"
    return [_row_to_version(row) for row in db.execute(sql, [since, limit]).fetchall()]


def latest_changes(db: Database, limit: int, *, since: int = 0) -> list[Version]:
    """The `limit` most recent versions with seq > since, newest first."""
    sql = f"SELECT {COLUMNS} FROM versions v WHERE v.seq > ? ORDER BY v.seq DESC LIMIT ?"
    return [_row_to_version(row) for row in db.execute(sql, [since, limit]).fetchall()]
