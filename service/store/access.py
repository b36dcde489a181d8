"""Who may write and how often: API tokens, remembered idempotent answers, write counters."""

import json
from dataclasses import dataclass

from sqlite_utils import Database

from schemas.timeutil import now_utc


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
