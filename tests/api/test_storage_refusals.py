"""Refusals, not 500s, where a node cannot write: FRAMINGS_READ_ONLY=1 answers writes 405 with
Allow; a full disk answers 507 with Retry-After. Reads keep working and nothing is lost."""

import errno
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from service import create_app, store

WRITES = [
    ("POST", "/chips", {"json": {"name": "X"}}),
    ("PUT", "/assumptions/a3", {"json": {}}),
    ("PATCH", "/assumptions/a3", {"json": {}, "content_type": "application/merge-patch+json"}),
    ("DELETE", "/assumptions/a3", {}),
    ("POST", "/releases", {"json": {"name": "r9", "description": "x"}}),
]


@pytest.fixture
def read_only_client(db_path, monkeypatch):
    monkeypatch.setenv("FRAMINGS_READ_ONLY", "1")
    return create_app({"DATABASE": str(db_path), "TESTING": True}).test_client()


@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES)
def test_a_read_only_node_answers_writes_405_with_allow(
    read_only_client, admin, method, path, kwargs
):
    answer = read_only_client.open(path, method=method, headers=admin, **kwargs)
    assert answer.status_code == 405, answer.get_json()
    assert answer.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert answer.mimetype == "application/problem+json"


def test_a_read_only_node_still_reads_and_scores(read_only_client):
    assert read_only_client.get("/assumptions/a3").status_code == 200
    assert read_only_client.get("/health").status_code == 200
    scored = read_only_client.post("/score", json={"name": "x", "direction": "tighten"})
    assert scored.status_code in (200, 422)  # answered by the scorer, not refused


def revise(client, editor, credence: float, key: str | None = None):
    etag = client.get("/assumptions/a3").headers["ETag"]
    headers = {**editor, "If-Match": etag}
    return client.patch(
        "/assumptions/a3",
        json={"assessment": {"credence": credence}},
        headers=headers,
        content_type="application/merge-patch+json",
    )


def assert_disk_full_refusal(answer) -> None:
    assert answer.status_code == 507, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    assert int(answer.headers["Retry-After"]) > 0


def test_a_write_failing_for_want_of_space_is_507_with_retry_after(client, editor, monkeypatch):
    """At the store boundary: SQLite's own SQLITE_FULL error, as a full disk raises it."""

    def full(*_args, **_kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise error

    before = client.get("/assumptions/a3").get_json()["version"]
    monkeypatch.setattr(store, "append", full)
    assert_disk_full_refusal(revise(client, editor, 0.31))
    monkeypatch.undo()
    assert client.get("/assumptions/a3").get_json()["version"] == before


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_out_of_space_covers_sqlite_and_os_errors(code):
    assert store.out_of_space(OSError(code, "no space"))
    assert not store.out_of_space(OSError(errno.EACCES, "denied"))
    assert not store.out_of_space(sqlite3.OperationalError("database is locked"))


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs (mounting needs root and the capability to mount; else skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", f"framings-{uuid.uuid4().hex[:8]}", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write zeros until the file system has no space left."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_disk_refuses_writes_keeps_reads_and_loses_nothing(template_db, small_disk, editor):
    path = small_disk / "framings.db"
    shutil.copy(template_db, path)
    client = create_app({"DATABASE": str(path), "TESTING": True}).test_client()
    db = store.open_db(str(path))
    token = editor["Authorization"].removeprefix("Bearer ")
    from service.web.auth import hash_token

    store.add_token(db, "ed", "editor", hash_token(token))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    first = revise(client, editor, 0.21)
    assert first.status_code == 200
    saved = client.get("/assumptions/a3").get_json()
    filler = fill(small_disk)
    refused = [revise(client, editor, 0.22 + n / 100) for n in range(3)]
    for answer in refused:
        assert_disk_full_refusal(answer)
    assert client.get("/assumptions/a3").get_json() == saved  # reads go on
    assert client.get("/assumptions").status_code == 200
    filler.unlink()
    again = revise(client, editor, 0.29)
    assert again.status_code == 200
    assert again.get_json()["version"] == saved["version"] + 1
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()
