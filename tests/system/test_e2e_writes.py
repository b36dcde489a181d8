"""Writes against a real gunicorn server: no lost update under a race, no damage from a crash."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import Server

pytestmark = pytest.mark.slow  # a live server

MERGE = "application/merge-patch+json"


def cli(db_path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRAMINGS_DB": str(db_path)}
    return subprocess.run(
        [sys.executable, "-m", "service.client.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "framings.db", workers=4)
    yield running
    running.stop()


def editor_headers(server) -> dict:
    token = cli(server.db_path, "token", "create", "--name", "racer", "--role", "editor")
    return {
        "Authorization": f"Bearer {token.stdout.strip().splitlines()[-1]}",
        "Content-Type": MERGE,
    }


def test_token_create_prints_the_token_as_its_last_line_and_stores_only_a_hash(server):
    out = cli(server.db_path, "token", "create", "--name", "n1", "--role", "admin").stdout
    token = out.strip().splitlines()[-1]
    with sqlite3.connect(server.db_path) as conn:
        stored = [row[0] for row in conn.execute("SELECT hash FROM tokens")]
    assert token.startswith("fr_") and token not in stored and len(stored) == 1


def test_revoked_token_is_refused(server):
    headers = editor_headers(server)
    cli(server.db_path, "token", "revoke", "racer")
    response = requests.patch(
        f"{server.url}/assumptions/a4",
        data="{}",
        timeout=10,
        headers={**headers, "If-Match": 'W/"1"', "X-Change-Note": "x"},
    )
    assert response.status_code == 401


def test_concurrent_writers_from_one_etag_exactly_one_succeeds(server):
    headers = editor_headers(server)
    etag = requests.get(f"{server.url}/assumptions/a4", timeout=10).headers["ETag"]
    barrier = threading.Barrier(16)

    def write(n: int) -> int:
        barrier.wait()
        body = f'{{"assessment": {{"credence": {n / 100}}}}}'
        return requests.patch(
            f"{server.url}/assumptions/a4",
            data=body,
            timeout=30,
            headers={**headers, "If-Match": etag, "X-Change-Note": f"writer {n}"},
        ).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(write, range(16)))
    assert sorted(statuses) == [200] + [412] * 15
    history = requests.get(f"{server.url}/assumptions/a4/versions?limit=200", timeout=10).json()
    assert history["items"][-1]["version"] == int(etag.strip('"')) + 1


def stream_writes(server, headers, stop: threading.Event, acknowledged: list) -> None:
    """PATCH a4 again and again from the latest ETag, recording every acknowledged version."""
    session = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        try:
            etag = session.get(f"{server.url}/assumptions/a4", timeout=5).headers["ETag"]
            response = session.patch(
                f"{server.url}/assumptions/a4",
                timeout=5,
                headers={**headers, "If-Match": etag, "X-Change-Note": f"stream {n}"},
                data=f'{{"assessment": {{"credence": {(n % 100) / 100}}}}}',
            )
            if response.status_code == 200:
                acknowledged.append(response.json()["version"])
        except requests.RequestException:
            time.sleep(0.01)  # the worker we were talking to was killed; carry on


def workers_of(server) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.process.pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def test_kill_9_of_workers_mid_write_leaves_a_sound_database(server):
    headers = editor_headers(server)
    stop, acknowledged = threading.Event(), []
    writers = [
        threading.Thread(target=stream_writes, args=(server, headers, stop, acknowledged))
        for _ in range(3)
    ]
    for thread in writers:
        thread.start()
    for _ in range(4):
        time.sleep(0.4)
        for pid in workers_of(server)[:2]:
            os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    stop.set()
    for thread in writers:
        thread.join(timeout=30)
    server.stop()
    with sqlite3.connect(server.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seqs = [row[0] for row in conn.execute("SELECT seq FROM versions ORDER BY seq")]
        numbers = [
            row[0]
            for row in conn.execute(
                "SELECT version FROM versions WHERE kind = 'assumptions' AND id = 'a4' "
                "ORDER BY version"
            )
        ]
        head = conn.execute(
            "SELECT version FROM heads WHERE kind = 'assumptions' AND id = 'a4'"
        ).fetchone()[0]
    assert acknowledged, "no write got through"
    assert seqs == list(range(1, len(seqs) + 1))
    assert numbers == list(range(1, len(numbers) + 1)) and head == numbers[-1]
    assert set(acknowledged) <= set(numbers)


def test_backup_copies_a_consistent_snapshot_while_serving(server, tmp_path):
    target = tmp_path / "backup.db"
    cli(server.db_path, "backup", str(target))
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    assert count == requests.get(f"{server.url}/health", timeout=10).json()["seq"]
