"""Who may write and how often: API tokens, remembered idempotent answers, write counters."""

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from schemas.timeutil import STORED_FORMAT, now_utc

# An Idempotency-Key's answer is given again for this long after the write, then forgotten (and
# the key may be used afresh): long enough for any client's retries, short enough that the
# table does not grow for ever (README, "Limits").
IDEMPOTENCY_HOURS = 24


def stored_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STORED_FORMAT)


def idempotency_cutoff() -> str:
    """Records created before this instant are expired."""
    return stored_time(datetime.now(UTC) - timedelta(hours=IDEMPOTENCY_HOURS))


@dataclass(frozen=True)
class Token:
    name: str
    role: str
    created_at: str
    revoked_at: str | None
    expires_at: str | None = None  # RFC 3339 UTC; None: never


def add_token(
    db: Database, name: str, role: str, token_hash: str, expires_at: str | None = None
) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO tokens (name, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            [name, role, token_hash, now_utc(), expires_at],
        )


def token_by_hash(db: Database, token_hash: str) -> Token | None:
    """The token with this hash if it is neither revoked nor expired."""
    row = db.execute(
        "SELECT name, role, created_at, revoked_at, expires_at FROM tokens WHERE hash = ? "
        "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
        [token_hash, now_utc()],
    ).fetchone()
    return Token(*row) if row else None


def list_tokens(db: Database) -> list[Token]:
    rows = db.execute(
        "SELECT name, role, created_at, revoked_at, expires_at FROM tokens ORDER BY name"
    )
    return [Token(*row) for row in rows.fetchall()]


def revoke_token(db: Database, name: str) -> bool:
    with db.atomic():
        cursor = db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            [now_utc(), name],
        )
    return cursor.rowcount == 1


def remembered_answer(db: Database, token: str, key: str) -> tuple | None:
    """(request_hash, status, headers, body) stored for an Idempotency-Key in the last
    IDEMPOTENCY_HOURS, if any."""
    return db.execute(
        "SELECT request_hash, status, headers, body FROM idempotency WHERE token = ? AND key = ? "
        "AND created_at >= ?",
        [token, key, idempotency_cutoff()],
    ).fetchone()


def remember_answer(
    db: Database, token: str, key: str, request_hash: str, status: int, headers: dict, body: str
) -> None:
    """Keep a write's answer for its key; expired records go in the same transaction."""
    db.execute("DELETE FROM idempotency WHERE created_at < ?", [idempotency_cutoff()])
    db.execute(
        "INSERT INTO idempotency (key, token, request_hash, status, headers, body, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [key, token, request_hash, status, json.dumps(headers), body, now_utc()],
    )


def count_write(
    db: Database, token: str, now: float, period: float, cost: int = 1
) -> tuple[float, int]:
    """Count `cost` uses by `token` (a write: 1): (start of its window, uses in it, these
    included).

    A window opens at a token's first use and lasts `period` seconds. One statement reads,
    resets or increments the counter, so every worker process sharing the file sees one count.
    """
    rows = db.execute(
        "INSERT INTO rate_limits (token, started_at, count) VALUES (?, ?, ?) "
        "ON CONFLICT (token) DO UPDATE SET "
        "count = CASE WHEN excluded.started_at >= started_at + ? THEN excluded.count "
        "ELSE count + excluded.count END, "
        "started_at = CASE WHEN excluded.started_at >= started_at + ? "
        "THEN excluded.started_at ELSE started_at END "
        "RETURNING started_at, count",
        [token, now, cost, period, period],
    ).fetchall()  # stepping to the end is what commits the statement
    return rows[0][0], rows[0][1]


def open_counters(path: str) -> Database:
    """A database of use counters alone, apart from the model: replicas serve theirs read-only,
    and a count lost in a crash costs nothing (so no fsync)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS rate_limits (token TEXT PRIMARY KEY, "
        "started_at REAL NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID"
    )
    return Database(conn)
