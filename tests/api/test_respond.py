"""service/representations/respond.py: kept encoded versions read as fresh ones do."""

import os

import pytest

from service import create_app, store
from service.representations import respond as representations
from tests.conftest import append_version

READS = [
    ("/chips/nvidia-h20", {}),
    ("/chips/nvidia-h20/versions/1", {}),
    ("/framings/sliding-scale", {}),
    ("/framings/sliding-scale", {"Accept": "text/html"}),
    ("/framings/sliding-scale?format=md", {}),
    ("/framings/sliding-scale/versions/1", {"Accept": "text/markdown"}),
    ("/framings/sliding-scale", {"If-None-Match": 'W/"1"'}),
    ("/framings/sliding-scale", {"If-Modified-Since": "Sun, 01 Jan 2040 00:00:00 GMT"}),
    ("/framings/sliding-scale", {"Origin": "https://wiki.example.org"}),
    ("/framings/sliding-scale?as_of=2999-01-01", {}),
]


def answer(client, path, headers=None):
    response = client.get(path, headers={"X-Request-Id": "same", **(headers or {})})
    return response.status_code, sorted(response.headers.items()), response.data


@pytest.mark.parametrize("path,headers", READS)
def test_a_cached_read_is_byte_identical_to_the_first_and_to_a_fresh_app(
    client, db_path, path, headers
):
    first = answer(client, path, headers)
    again = answer(client, path, headers)
    fresh = answer(create_app({"DATABASE": str(db_path)}).test_client(), path, headers)
    assert first == again == fresh


def test_a_new_version_written_elsewhere_is_read_at_once(client, db):
    before = client.get("/chips/nvidia-h20").get_json()
    current = store.get_current(db, "chips", "nvidia-h20")
    body = {**current.body, "name": "H20, renamed"}
    append_version(db, "chips", "nvidia-h20", body)
    after = client.get("/chips/nvidia-h20")
    assert after.get_json()["version"] == before["version"] + 1
    assert after.get_json()["body"]["name"] == "H20, renamed"
    assert after.headers["ETag"] == f'"{before["version"] + 1}"'
    old = client.get(f"/chips/nvidia-h20/versions/{before['version']}").get_json()
    assert old == before


def test_a_deletion_is_a_410_right_after_a_cached_read(client, db):
    assert client.get("/chips/nvidia-a100").status_code == 200
    current = store.get_current(db, "chips", "nvidia-a100")
    append_version(db, "chips", "nvidia-a100", None)
    assert client.get("/chips/nvidia-a100").status_code == 410
    tombstone = client.get(f"/chips/nvidia-a100/versions/{current.version + 1}")
    assert tombstone.status_code == 200 and tombstone.get_json()["body"] is None


def test_a_replaced_file_with_other_bodies_under_the_same_numbers_is_read_afresh(
    client, db_path, tmp_path
):
    first = client.get("/chips/nvidia-h20/versions/1").get_json()
    assert client.get("/chips/nvidia-h20").status_code == 200
    # Another database, where version 1 of the same chip says something else.
    replacement = tmp_path / "other.db"
    other = store.open_db(str(replacement))
    store.migrate(other)
    body = {**first["body"], "name": "Not the H20 you read before"}
    store.append(other, "chips", "nvidia-h20", body, author="t", change_note="n", expected=None)
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.conn.close()
    os.replace(replacement, db_path)
    for path in ("/chips/nvidia-h20/versions/1", "/chips/nvidia-h20"):
        assert client.get(path).get_json()["body"]["name"] == "Not the H20 you read before"


def test_the_cache_keeps_within_its_size_and_skips_huge_envelopes():
    cache = representations.EncodedVersions(max_bytes=100)
    version = store.Version("chips", "x", 1, 1, "2025-01-01T00:00:00Z", "a", "n", False, None)
    for number in range(10):
        cache.put(("c", number), representations.Encoded(version, b"x" * 30))
    assert cache.total <= 100 and len(cache) == 3
    assert cache.get(("c", 9)) is not None and cache.get(("c", 0)) is None
    roomy = representations.EncodedVersions()
    limit = representations.MAX_ENTRY_BYTES
    roomy.put(("big",), representations.Encoded(version, b"x" * limit))
    roomy.put(("huge",), representations.Encoded(version, b"x" * (limit + 1)))
    assert roomy.get(("big",)) is not None and roomy.get(("huge",)) is None


def test_queries_still_go_through_webargs(client):
    assert client.get("/chips/nvidia-h20?").status_code == 200
    assert client.get("/chips?limit=0").status_code == 422
    assert client.get("/chips/nvidia-h20?as_of=2020-01-01&release=r1").status_code == 422
    assert client.get("/chips/nvidia-h20?bogus=1").status_code == 422
