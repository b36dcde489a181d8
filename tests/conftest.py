"""Shared fixtures: a model database built once from fixtures/, copied fresh for each test.

Tests by layer: unit/ (pure functions), api/ (the Flask test client), system/ (live gunicorn,
nginx, Chromium, Docker and third-party tools; marked slow and run last).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from service import create_app, store
from service.fixtures import load_fixtures

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The measure most scoring tests start from: licences for H20-class inference chips for China.
H20_APPROVAL = {
    "name": "H20 licence approvals",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "chips": ["nvidia-h20"],
}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """The fixtures loaded once; tests copy the file rather than reload it."""
    path = tmp_path_factory.mktemp("template") / "framings.db"
    db = store.open_db(str(path))
    store.migrate(db)
    load_fixtures(db, FIXTURES)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def db_path(template_db, tmp_path) -> Path:
    path = tmp_path / "framings.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def app(db_path):
    return create_app({"DATABASE": str(db_path), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def module_client(template_db, tmp_path_factory):
    """A client on its own copy of the database, shared by one module's read-only tests (the
    calibration sets score many measures once)."""
    path = tmp_path_factory.mktemp("module") / "framings.db"
    path.write_bytes(template_db.read_bytes())
    return create_app({"DATABASE": str(path), "TESTING": True}).test_client()


@pytest.fixture
def db(db_path):
    """A direct store connection to the same database the app uses."""
    connection = store.open_db(str(db_path))
    yield connection
    connection.conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_responds(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:  # refused, or a worker still booting timed out
            time.sleep(0.1)
    raise AssertionError(f"{url} did not respond within {timeout}s")


class Server:
    """A real gunicorn server, started the way `make run` starts it."""

    def __init__(self, db_path: Path, workers: int = 2, env: dict | None = None):
        self.db_path = db_path
        port = free_port()
        env = {
            **os.environ,
            **(env or {}),
            "FRAMINGS_DB": str(db_path),
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(workers),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}"
        try:
            wait_until_responds(self.url + "/health")
        except AssertionError:
            self.stop()  # never leave an orphaned gunicorn behind a failed start
            raise

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A gunicorn server with two workers on a fresh database, for read-only tests."""
    server = Server(tmp_path_factory.mktemp("live") / "framings.db")
    yield server.url
    server.stop()


def append_version(db, kind: str, id_: str, body, note: str = "n", author: str = "t"):
    """Append a version (None: a tombstone) straight through the store, as another writer
    would, on top of the current head: the one way tests write outside the app."""
    return store.append(
        db,
        kind,
        id_,
        body,
        author=author,
        change_note=note,
        expected=store.head_version(db, kind, id_),
    )


def all_changes(client) -> list[dict]:
    """Every change in /changes, following `next` to the end."""
    items, url = [], "/changes?limit=200"
    while url:
        page = client.get(url).get_json()
        items, url = items + page["items"], page["next"]
    return items


def tombstone(db, kind: str, id_: str) -> None:
    """Delete a resource straight through the store, as another writer would."""
    append_version(db, kind, id_, None, note="gone")


def make_token(db, name: str, role: str) -> str:
    from service.web.auth import hash_token, new_token

    token = new_token()
    store.add_token(db, name, role, hash_token(token))
    return token


@pytest.fixture
def editor(db) -> dict:
    """Headers of an editor's write, minus If-Match."""
    return {
        "Authorization": f"Bearer {make_token(db, 'ed', 'editor')}",
        "X-Change-Note": "test change",
    }


@pytest.fixture
def admin(db) -> dict:
    return {
        "Authorization": f"Bearer {make_token(db, 'root', 'admin')}",
        "X-Change-Note": "admin change",
    }


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts servers, nginx or containers; runs last")
    config.addinivalue_line(
        "markers", "property: generated inputs (hypothesis, schemathesis, fuzzing): minutes"
    )


SYSTEM = Path(__file__).resolve().parent / "system"


def pytest_collection_modifyitems(items):
    """Every system test is slow and every generated-input test a property run, whether or
    not its file says so (`make quick` leaves both out); slow tests run last, so quick failures
    show before minutes of building containers."""
    for item in items:
        if SYSTEM in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)
