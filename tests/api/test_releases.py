"""Releases freeze the model under a name; reads and scores can be pinned to one."""

from service import store


def make_release(client, admin, name="r1"):
    return client.post("/releases", json={"name": name, "description": "Seed model"}, headers=admin)


def test_admin_creates_a_release_with_a_manifest_of_every_live_resource(client, admin, db):
    response = make_release(client, admin)
    assert response.status_code == 201 and response.headers["Location"] == "/releases/r1"
    manifest = response.get_json()["manifest"]
    assert manifest["assumptions/a1"] == store.head_version(db, "assumptions", "a1")
    assert len(manifest) == len(client.get("/chips?limit=200").get_json()["items"]) + sum(
        len(client.get(f"/{k}?limit=200").get_json()["items"])
        for k in ("framings", "assumptions", "watchlist", "controls")
    )


def test_release_name_cannot_be_reused(client, admin):
    make_release(client, admin)
    assert make_release(client, admin).status_code == 409


def test_release_without_token_is_401(client):
    assert client.post("/releases", json={"name": "r", "description": "d"}).status_code == 401


def test_invalid_release_name_is_422(client, admin):
    response = client.post(
        "/releases", json={"name": "Not A Slug", "description": "d"}, headers=admin
    )
    assert response.status_code == 422 and "name" in response.get_json()["errors"]


def test_read_through_a_release_ignores_later_versions(client, admin, editor):
    make_release(client, admin)
    before = client.get("/assumptions/a4").get_json()
    client.patch(
        "/assumptions/a4",
        data='{"assessment": {"credence": 0.01}}',
        content_type="application/merge-patch+json",
        headers={**editor, "If-Match": f'"{before["version"]}"'},
    )
    pinned = client.get("/assumptions/a4?release=r1").get_json()
    assert pinned["version"] == before["version"] and pinned["body"] == before["body"]


def test_resource_deleted_after_a_release_is_still_readable_through_it(client, admin, editor):
    make_release(client, admin)
    etag = client.get("/chips/nvidia-a100").headers["ETag"]
    client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": etag})
    assert client.get("/chips/nvidia-a100").status_code == 410
    assert client.get("/chips/nvidia-a100?release=r1").status_code == 200
    ids = {i["id"] for i in client.get("/chips?release=r1").get_json()["items"]}
    assert "nvidia-a100" in ids


def test_releases_are_listed_and_read_back(client, admin):
    make_release(client, admin, "r1")
    make_release(client, admin, "r2")
    names = [r["name"] for r in client.get("/releases").get_json()["items"]]
    assert names == ["r1", "r2"]
    assert client.get("/releases/r2").get_json()["author"] == "root"


def test_unknown_release_is_404(client):
    assert client.get("/releases/nope").status_code == 404


def test_database_refuses_to_change_a_release(client, admin, db):
    import sqlite3

    import pytest

    make_release(client, admin)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE release_items SET version = 1")
