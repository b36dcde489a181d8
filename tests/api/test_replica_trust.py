"""A replica trusts nothing from its writer: each test puts a hostile writer (a tiny HTTP server)
in front of a replica app and checks that the replica keeps serving, writes nothing outside its
folder, follows no link off the writer's origin and leaves no partial download behind."""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from service import create_app, store
from service.ops import snapshots
from service.ops.replica import CURRENT

GOOD = "r1"


class FakeWriter:
    """Answers GET with what `routes` maps its path (and query) to; records every request."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, object]] = {}
        self.requests: list[str] = []
        self.bytes_sent = 0
        writer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                writer.requests.append(self.path)
                status, headers, body = writer.routes.get(self.path, (404, {}, b"{}"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    writer.bytes_sent += len(body)
                    return
                self.end_headers()
                try:
                    for chunk in body():  # a stream with no declared length
                        self.wfile.write(chunk)
                        writer.bytes_sent += len(chunk)
                except OSError:
                    pass  # the replica hung up

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def lists(self, *items: dict, next_link: str | None = None) -> None:
        body = json.dumps({"items": list(items), "next": next_link}).encode()
        self.routes["/releases?limit=200"] = (200, {"Content-Type": "application/json"}, body)

    def serves(self, name: str, body) -> None:
        self.routes[f"/releases/{name}/snapshot"] = (200, {}, body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def release(name: str, seq: int) -> dict:
    return {"name": name, "seq": seq, "created_at": f"2026-01-0{min(seq, 9)}T00:00:00Z"}


@pytest.fixture
def snapshot_of(template_db, tmp_path):
    """The bytes of a real snapshot holding a release of the given name."""

    def make(name: str) -> bytes:
        source = tmp_path / f"source-{name}.db"
        shutil.copy(template_db, source)
        db = store.open_db(str(source))
        store.create_release(db, name, "test", "a release")
        target = snapshots.write(db, tmp_path / f"made-{name}.sqlite3")
        db.conn.close()
        return target.read_bytes()

    return make


@pytest.fixture
def writer():
    fake = FakeWriter()
    yield fake
    fake.close()


@pytest.fixture
def replica_at(tmp_path):
    """A replica app of `writer`, its folder in tmp_path/node/replica; no polling thread."""

    def start(writer_url: str, **extra):
        node = tmp_path / "node"
        node.mkdir(exist_ok=True)
        app = create_app(
            {
                "DATABASE": str(node / "unused.db"),
                "TESTING": True,
                "REPLICA_OF": writer_url,
                "SNAPSHOT_DIR": str(node / "replica"),
                "REPLICA_INTERVAL": 0,
                **extra,
            }
        )
        return app

    return start


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def partials(folder: Path) -> list[Path]:
    return list(folder.rglob("*.partial"))


def test_a_release_named_as_a_path_is_ignored_and_nothing_is_written_outside(
    writer, replica_at, snapshot_of, tmp_path
):
    writer.lists(release(GOOD, 1), release("../../x/evil", 9))
    writer.serves(GOOD, snapshot_of(GOOD))
    writer.routes["/releases/../../x/evil/snapshot"] = (200, {}, snapshot_of(GOOD))
    writer.routes["/x/evil/snapshot"] = (200, {}, snapshot_of(GOOD))
    (tmp_path / "x").mkdir()  # where ../../x/evil would land from the replica's folder
    before = files_under(tmp_path)
    client = replica_at(writer.url).test_client()
    health = client.get("/health")
    assert health.status_code == 200
    assert health.headers["X-Framings-Release"] == GOOD
    made = files_under(tmp_path) - before
    assert all(path == "node" or path.startswith("node/") for path in made), made
    assert not any("evil" in path for path in files_under(tmp_path))
    assert not [r for r in writer.requests if "evil" in r]


def test_a_release_named_current_cannot_break_the_serving_link(
    writer, replica_at, snapshot_of, tmp_path
):
    writer.lists(release(GOOD, 1), release("current", 2))
    writer.serves(GOOD, snapshot_of(GOOD))
    writer.serves("current", snapshot_of("current"))
    for _ in range(2):  # and again after a restart on the same folder
        client = replica_at(writer.url).test_client()
        assert client.get("/health").status_code == 200
        assert client.get("/assumptions/a3").status_code == 200
    link = tmp_path / "node" / "replica" / CURRENT
    assert link.is_symlink() and link.resolve() != link
    assert link.resolve().name == f"{GOOD}.sqlite3"


def test_the_writer_refuses_a_release_named_current(client, admin):
    answer = client.post("/releases", json={"name": "current", "description": "x"}, headers=admin)
    assert answer.status_code == 422
    assert "name" in answer.get_json()["errors"]


@pytest.mark.parametrize("link", ["@127.0.0.1:{port}/p", "//127.0.0.1:{port}/p", "{other}/p"])
def test_a_next_link_to_another_host_is_not_followed(writer, replica_at, snapshot_of, link):
    other = FakeWriter()
    try:
        port = other.server.server_address[1]
        other.lists(release(GOOD, 1))
        writer.lists(release(GOOD, 1), next_link=link.format(port=port, other=other.url))
        writer.serves(GOOD, snapshot_of(GOOD))
        replica_at(writer.url).test_client().get("/health")
        assert other.requests == []
    finally:
        other.close()


def test_a_redirect_to_another_host_is_not_followed(writer, replica_at):
    other = FakeWriter()
    try:
        other.lists(release(GOOD, 1))
        writer.routes["/releases?limit=200"] = (302, {"Location": other.url + "/releases"}, b"")
        client = replica_at(writer.url).test_client()
        assert client.get("/health").status_code == 503  # no snapshot: nothing to serve
        assert other.requests == []
    finally:
        other.close()


def test_a_snapshot_stream_past_the_limit_is_cut_off_and_removed(writer, replica_at, tmp_path):
    limit = 1024 * 1024

    def endless():
        for _ in range(200 * 16):  # 200 MB in 64 KiB chunks, no Content-Length
            yield b"\0" * 65536

    writer.lists(release(GOOD, 1))
    writer.serves(GOOD, endless)
    client = replica_at(writer.url, REPLICA_MAX_BYTES=limit).test_client()
    assert client.get("/health").status_code == 503
    folder = tmp_path / "node" / "replica"
    assert sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) <= limit
    assert partials(folder) == []
    assert writer.bytes_sent < 100 * 1024 * 1024  # it hung up long before the end


def test_a_declared_length_past_the_limit_is_not_downloaded(writer, replica_at, tmp_path):
    writer.lists(release(GOOD, 1))
    writer.serves(GOOD, b"\0" * (2 * 1024 * 1024))
    client = replica_at(writer.url, REPLICA_MAX_BYTES=1024 * 1024).test_client()
    assert client.get("/health").status_code == 503
    assert partials(tmp_path / "node" / "replica") == []


@pytest.mark.parametrize(
    "body",
    [b"not a database at all", b"SQLite format 3\0" + b"\0" * 100],
    ids=["not-sqlite", "truncated"],
)
def test_a_failed_download_leaves_no_partial_file(writer, replica_at, tmp_path, body):
    writer.lists(release(GOOD, 1))
    writer.serves(GOOD, body)
    client = replica_at(writer.url).test_client()
    assert client.get("/health").status_code == 503
    assert partials(tmp_path / "node" / "replica") == []


def test_a_snapshot_of_another_release_is_refused(writer, replica_at, snapshot_of, tmp_path):
    writer.lists(release(GOOD, 1))
    writer.serves(GOOD, snapshot_of("other"))
    client = replica_at(writer.url).test_client()
    assert client.get("/health").status_code == 503
    assert partials(tmp_path / "node" / "replica") == []


def test_partial_files_left_by_a_killed_download_are_swept(writer, replica_at, snapshot_of):
    writer.lists(release(GOOD, 1))
    writer.serves(GOOD, snapshot_of(GOOD))
    app = replica_at(writer.url)
    replica = app.extensions["framings_replica"]
    leftover = snapshots.temporary_in(replica.releases)  # as a kill -9 mid-download leaves it
    writer.lists(release(GOOD, 1), release("r2", 2))
    writer.serves("r2", snapshot_of("r2"))
    assert replica.sync() is True
    assert not leftover.exists()
