"""Release snapshots on the writer, and a replica's answers before it has one (no processes)."""

from pathlib import Path

from service import create_app, store
from service.ops import snapshots
from tests.conftest import free_port

SQLITE_MAGIC = b"SQLite format 3\x00"


def publish(client, admin, name: str):
    return client.post("/releases", json={"name": name, "description": "test"}, headers=admin)


def revise(client, editor) -> None:
    etag = client.get("/assumptions/a3").headers["ETag"]
    answer = client.patch(
        "/assumptions/a3",
        json={"assessment": {"credence": 0.3}},
        content_type="application/merge-patch+json",
        headers={**editor, "If-Match": etag},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_publishing_a_release_writes_its_snapshot_beside_the_database(client, admin, db_path):
    publish(client, admin, "r1")
    assert (db_path.parent / "snapshots" / "r1.sqlite3").read_bytes().startswith(SQLITE_MAGIC)


def test_snapshot_holds_the_release_as_its_latest_state(client, admin, db_path):
    release = publish(client, admin, "r1").get_json()
    snapshot = store.open_db(str(db_path.parent / "snapshots" / "r1.sqlite3"), immutable=True)
    assert store.max_seq(snapshot) == release["seq"]
    assert store.release_manifest(snapshot, "r1") == release["manifest"]


def test_snapshot_download_is_cacheable_for_good(client, admin):
    publish(client, admin, "r1")
    answer = client.get("/releases/r1/snapshot")
    assert answer.headers["ETag"] == '"r1"'
    assert "immutable" in answer.headers["Cache-Control"]


def test_snapshot_of_an_unknown_release_is_404(client):
    answer = client.get("/releases/nope/snapshot")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"


def test_missing_snapshot_is_made_on_request_while_the_model_is_unchanged(client, admin, db_path):
    publish(client, admin, "r1")
    (db_path.parent / "snapshots" / "r1.sqlite3").unlink()
    assert client.get("/releases/r1/snapshot").status_code == 200


def test_missing_snapshot_is_not_made_once_the_model_has_moved_on(client, admin, editor, db_path):
    publish(client, admin, "r1")
    (db_path.parent / "snapshots" / "r1.sqlite3").unlink()
    revise(client, editor)
    assert client.get("/releases/r1/snapshot").status_code == 404


def test_snapshot_directory_can_be_configured(db_path, tmp_path):
    app = create_app({"DATABASE": str(db_path), "SNAPSHOT_DIR": str(tmp_path / "elsewhere")})
    assert snapshots.directory(app) == Path(tmp_path / "elsewhere")


def replica_of_nothing(db_path, tmp_path):
    """A replica whose writer is not there: nothing listens on a fresh loopback port."""
    return create_app(
        {
            "DATABASE": str(db_path),
            "REPLICA_OF": f"http://127.0.0.1:{free_port()}",
            "SNAPSHOT_DIR": str(tmp_path / "replica"),
            "REPLICA_INTERVAL": 0,
        }
    )


def test_replica_without_a_snapshot_answers_503(db_path, tmp_path):
    answer = replica_of_nothing(db_path, tmp_path).test_client().get("/health")
    assert answer.status_code == 503 and "Retry-After" in answer.headers


def test_replica_without_a_snapshot_still_serves_its_openapi_document(db_path, tmp_path):
    answer = replica_of_nothing(db_path, tmp_path).test_client().get("/openapi.json")
    assert answer.status_code == 200


def test_replica_refuses_a_write_with_405_naming_the_writer(db_path, tmp_path):
    app = replica_of_nothing(db_path, tmp_path)
    answer = app.test_client().post("/releases", json={"name": "x", "description": "y"})
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert app.config["REPLICA_OF"] in answer.get_json()["detail"]


class Garbage:
    """A writer's answer whose body is not an SQLite file."""

    status_code = 200
    headers: dict = {}

    def close(self) -> None:
        return None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def raise_for_status(self) -> None:
        return None

    def iter_content(self, _size):
        yield b"not a database"


def test_replica_refuses_a_snapshot_that_is_not_a_database(db_path, tmp_path, monkeypatch):
    app = replica_of_nothing(db_path, tmp_path)
    replica = app.extensions["framings_replica"]
    monkeypatch.setattr(replica, "latest_release", lambda: {"name": "bad", "seq": 1})
    monkeypatch.setattr("service.ops.replica.requests.get", lambda *_, **__: Garbage())
    replica.sync_quietly()
    assert replica.serving() is None
    assert sorted(f.name for f in (tmp_path / "replica").iterdir()) == [".sync.lock", "releases"]
    assert list((tmp_path / "replica" / "releases").iterdir()) == []


def test_published_snapshot_carries_no_tokens_or_remembered_answers(client, admin, editor, db_path):
    body = client.get("/chips/nvidia-h20").get_json()["body"]
    client.post(
        "/chips", json={**body, "name": "Idem X"}, headers={**editor, "Idempotency-Key": "k"}
    )
    publish(client, admin, "r1")
    snapshot = store.open_db(str(db_path.parent / "snapshots" / "r1.sqlite3"), immutable=True)
    for table in ("tokens", "idempotency"):
        assert snapshot.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert b"fr_" not in (db_path.parent / "snapshots" / "r1.sqlite3").read_bytes()
