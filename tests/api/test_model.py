"""service/web/model.py: the cached scoring model is never stale."""

import os
import shutil

from service import create_app, store
from tests.conftest import H20_APPROVAL, append_version

PROPOSAL = H20_APPROVAL


def credence(db, aid: str, value: float) -> None:
    """Append a new version of an assumption with another credence, outside the app."""
    current = store.get_current(db, "assumptions", aid)
    body = {**current.body, "assessment": {**current.body["assessment"], "credence": value}}
    append_version(db, "assumptions", aid, body, note="doubt", author="test")


def test_a_write_by_another_connection_is_seen_by_the_next_score(client, db):
    before = client.post("/score", json=PROPOSAL).get_json()
    credence(db, "a3", 0.01)  # as another worker process would write it
    after = client.post("/score", json=PROPOSAL).get_json()
    assert after["model"]["assumptions"]["a3"] == before["model"]["assumptions"]["a3"] + 1
    ss = "sliding-scale"
    assert after["framings"][ss]["robust_alignment"] != before["framings"][ss]["robust_alignment"]


def test_answers_from_a_cached_model_equal_fresh_ones_byte_for_byte(client, db_path):
    first = client.post("/score?as_of=2025-07-21", json=PROPOSAL).data
    client.post("/score", json=PROPOSAL)  # another point in time in between
    # A new app has an empty cache, so its answer is built from the database afresh.
    fresh_app = create_app({"DATABASE": str(db_path)})
    fresh = fresh_app.test_client().post("/score?as_of=2025-07-21", json=PROPOSAL).data
    assert client.post("/score?as_of=2025-07-21", json=PROPOSAL).data == first == fresh


def test_a_replaced_database_file_is_read_afresh(client, db_path, tmp_path):
    seq = client.get("/health").get_json()["seq"]
    version = client.post("/score", json=PROPOSAL).get_json()["model"]["assumptions"]["a3"]
    replacement = tmp_path / "next.db"
    shutil.copy(db_path, replacement)
    other = store.open_db(str(replacement))
    credence(other, "a3", 0.02)
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.conn.close()
    os.replace(replacement, db_path)  # as a replica swaps in a new snapshot
    assert client.get("/health").get_json()["seq"] == seq + 1
    model = client.post("/score", json=PROPOSAL).get_json()["model"]
    assert model["assumptions"]["a3"] == version + 1
