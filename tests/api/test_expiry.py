"""What expires: tokens made with `framings token create --expires`, and the answers kept for
Idempotency-Key (after store.IDEMPOTENCY_HOURS)."""

import subprocess
import sys

import pytest

from service import store
from service.client.cli import expiry
from service.web.auth import hash_token, new_token
from tests.conftest import ROOT


def token_expiring(db, name: str, expires_at: str) -> dict:
    token = new_token()
    store.add_token(db, name, "editor", hash_token(token), expires_at)
    return {"Authorization": f"Bearer {token}", "X-Change-Note": "expiry test"}


def delete_a3(client, headers):
    etag = client.get("/assumptions/a3").headers["ETag"]
    return client.delete("/assumptions/a3", headers={**headers, "If-Match": etag})


def test_an_expired_token_is_a_401(client, db):
    answer = delete_a3(client, token_expiring(db, "old", "2020-01-01T00:00:00Z"))
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_before_its_expiry_works(client, db):
    assert delete_a3(client, token_expiring(db, "new", "2999-01-01T00:00:00Z")).status_code == 200


@pytest.mark.parametrize(
    "text", ["90m", "12h", "30d", "2030-05-01T12:00:00Z", "2030-05-01T14:00:00+02:00"]
)
def test_expires_takes_a_lifetime_or_an_instant(text):
    stored = expiry(text)
    assert stored.endswith("Z") and len(stored) == len("2030-05-01T12:00:00Z")
    if text.startswith("2030"):
        assert stored == "2030-05-01T12:00:00Z"


def test_token_create_with_expires_stores_it(db_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.client.cli",
            "--db",
            str(db_path),
            "token",
            "create",
            "--name",
            "brief",
            "--role",
            "editor",
            "--expires",
            "2030-01-01T00:00:00Z",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    db = store.open_db(str(db_path))
    [token] = [t for t in store.list_tokens(db) if t.name == "brief"]
    assert token.expires_at == "2030-01-01T00:00:00Z"
    db.conn.close()


def test_token_create_refuses_a_malformed_expiry(db_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.client.cli",
            "--db",
            str(db_path),
            "token",
            "create",
            "--name",
            "brief",
            "--role",
            "editor",
            "--expires",
            "soon",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "--expires" in done.stderr


def chip_post(client, editor, key: str, name: str = "Kept chip"):
    body = {**client.get("/chips/nvidia-h20").get_json()["body"], "name": name}
    return client.post("/chips", json=body, headers={**editor, "Idempotency-Key": key})


def test_an_idempotent_answer_is_given_again_within_its_period(client, editor):
    first = chip_post(client, editor, "k-1")
    again = chip_post(client, editor, "k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again.get_data() == first.get_data()


def test_an_idempotency_record_past_its_period_is_forgotten_and_purged(client, editor, db):
    assert chip_post(client, editor, "k-2").status_code == 201
    db.execute("UPDATE idempotency SET created_at = '2020-01-01T00:00:00Z'")  # aged past it
    # Forgotten: the same key is a new request (the chip exists now, so a 409, not a replay).
    assert chip_post(client, editor, "k-2").status_code == 409
    assert chip_post(client, editor, "k-3", "Another chip").status_code == 201  # purges
    rows = db.execute("SELECT created_at FROM idempotency").fetchall()
    assert all(created > "2020-01-01T00:00:00Z" for (created,) in rows)
