"""The Python client's writes against a live gunicorn server: create, put, edit, delete,
revive, releases, change notes in any language, and the errors each can raise."""

import pytest
from framings_client import (
    Client,
    Conflict,
    Forbidden,
    Gone,
    StaleVersion,
    Unauthorized,
    ValidationFailed,
)

from service import store
from tests.conftest import make_token
from tests.system.client_support import H20
from tests.system.third_party import WritableServer

pytestmark = pytest.mark.slow  # a live server

CHIP = {
    "name": "Client Test Chip",
    "vendor": "Test",
    "origin": "us",
    "status": "in_production",
    "us_export_status": "licence_required",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = WritableServer(tmp_path_factory.mktemp("client-writes") / "framings.db")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(server) -> Client:
    return Client(server.url, server.editor, retries=0)


@pytest.fixture(scope="module")
def editor(server) -> Client:
    db = store.open_db(str(server.db_path))
    try:
        token = make_token(db, "client-editor", "editor")
    finally:
        db.conn.close()
    return Client(server.url, token, retries=0)


def chip(admin: Client, slug: str):
    body = admin.get("chips", "nvidia-h20").body | {"name": f"Chip {slug}"}
    return admin.create("chips", body, f"Add {slug}", slug=slug)


def test_create_takes_the_slug_and_answers_version_1_with_its_etag(admin):
    made = chip(admin, "client-made")
    assert (made.id, made.version, made.etag) == ("client-made", 1, '"1"')
    assert made.change_note == "Add client-made" and made.author == "tools"


def test_create_with_the_same_idempotency_key_answers_once(admin):
    body = admin.get("chips", "nvidia-h20").body | {"name": "Twice"}
    first = admin.create("chips", body, "Once", slug="client-twice", idempotency_key="k-1")
    again = admin.create("chips", body, "Once", slug="client-twice", idempotency_key="k-1")
    assert first == again and len(list(admin.history("chips", "client-twice"))) == 1


def test_create_of_an_existing_id_raises_conflict(admin):
    chip(admin, "client-dup")
    with pytest.raises(Conflict):
        chip(admin, "client-dup")


def test_create_with_a_bad_body_raises_validation_failed_naming_fields(admin):
    with pytest.raises(ValidationFailed) as raised:
        admin.create("chips", {"name": 3}, "Bad", slug="client-bad")
    assert "name" in raised.value.errors


def test_edit_reads_the_version_and_merge_patches_it(admin):
    before = admin.get("assumptions", "a5")
    after = admin.edit("assumptions", "a5", {"title": "Edited by the client"}, "Retitle")
    assert after.version == before.version + 1 and after.body["title"] == "Edited by the client"
    assert after.body["assessment"] == before.body["assessment"]


def test_a_note_in_any_language_is_stored_as_written(admin):
    note = "Revisión — 中文 — ✓"
    after = admin.edit("assumptions", "a5", {"title": "Noted"}, note)
    assert after.change_note == note and admin.get("assumptions", "a5").change_note == note


def test_patch_with_an_old_etag_raises_stale_version_with_the_current_one(admin):
    old = admin.get("assumptions", "a2")
    now = admin.edit("assumptions", "a2", {"title": "Moved on"}, "Move")
    with pytest.raises(StaleVersion) as raised:
        admin.patch("assumptions", "a2", {"title": "Late"}, "Late", etag=old.etag)
    assert raised.value.status == 412 and raised.value.etag == now.etag


def test_edit_retries_a_stale_version_only_when_asked(admin, monkeypatch):
    racing = {"done": False}
    real_patch = Client.patch

    def patch_after_a_rival(self, kind, id, patch, note, *, etag):
        if not racing["done"]:  # someone else writes between our read and our write
            racing["done"] = True
            real_patch(self, kind, id, {"title": "Rival"}, "Rival", etag=etag)
        return real_patch(self, kind, id, patch, note, etag=etag)

    monkeypatch.setattr(Client, "patch", patch_after_a_rival)
    with pytest.raises(StaleVersion):
        admin.edit("assumptions", "a1", {"title": "Mine"}, "Mine")
    racing["done"] = False
    mine = admin.edit("assumptions", "a1", {"title": "Mine"}, "Mine", retries=1)
    assert mine.body["title"] == "Mine" and mine.change_note == "Mine"


def test_put_replaces_the_body(admin):
    made = chip(admin, "client-put")
    body = made.body | {"name": "Replaced"}
    replaced = admin.put("chips", "client-put", body, "Replace", etag=made.etag)
    assert replaced.version == 2 and replaced.body["name"] == "Replaced"


def test_create_at_puts_a_new_id(admin):
    body = admin.get("chips", "nvidia-h20").body | {"name": "Put new"}
    assert admin.create_at("chips", "client-put-new", body, "New").version == 1


def test_delete_then_get_raises_gone_and_revive_brings_it_back(admin):
    made = chip(admin, "client-gone")
    tomb = admin.delete("chips", "client-gone", "Remove")
    assert tomb.deleted and tomb.body is None
    with pytest.raises(Gone) as raised:
        admin.get("chips", "client-gone")
    assert raised.value.etag == tomb.etag
    back = admin.revive("chips", "client-gone", made.body, "Bring back")
    assert (back.version, back.deleted) == (3, False)


def test_a_release_freezes_the_model_and_reads_back_at_it(admin):
    release = admin.create_release("client-r1", "Before the client's edit")
    assert release.manifest["assumptions/a6"] == admin.get("assumptions", "a6").version
    edited = admin.edit("assumptions", "a6", {"title": "After the release"}, "After")
    frozen = admin.get("assumptions", "a6", release="client-r1")
    assert frozen.version == edited.version - 1
    assert "client-r1" in [r.name for r in admin.releases()]
    assert admin.release("client-r1").manifest == release.manifest
    assert admin.release_snapshot("client-r1").startswith(b"SQLite format 3")
    assert admin.score(H20, release="client-r1")["model"]


def test_an_editor_may_not_create_a_release(editor):
    with pytest.raises(Forbidden):
        editor.create_release("client-r2", "No")


def test_a_write_without_a_token_raises_unauthorized(server):
    with pytest.raises(Unauthorized):
        Client(server.url, token="", retries=0).edit("assumptions", "a3", {"title": "x"}, "x")


def test_the_changes_feed_follows_new_writes(admin):
    last = admin.health()["seq"]
    feed = admin.changes(since=last - 1, follow=True, interval=0.01)
    assert next(feed).seq == last
    admin.edit("assumptions", "a5", {"title": "Followed"}, "Follow me")
    change = next(feed)
    assert (change.seq, change.id, change.change_note) == (last + 1, "a5", "Follow me")
