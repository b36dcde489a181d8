"""Releases (named, immutable manifests of versions), backups and publishable snapshots."""

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from schemas.timeutil import now_utc
from service.store.versions import Conflict


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
