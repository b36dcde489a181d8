"""The version store: append-only, immutable, gap-free and guarded against lost updates."""

import sqlite3

import pytest

from service import store


@pytest.fixture
def empty(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    store.migrate(db)
    yield db
    db.conn.close()


def add(db, id_="x", body=None, expected=None, when="2025-01-01T00:00:00Z"):
    return store.append(
        db,
        "chips",
        id_,
        body if body is not None else {"n": 1},
        author="t",
        change_note="n",
        expected=expected,
        recorded_at=when,
    )


def test_first_append_is_version_one_with_seq_one(empty):
    version = add(empty)
    assert (version.version, version.seq) == (1, 1)


def test_append_from_stale_version_raises_conflict(empty):
    add(empty)
    add(empty, expected=1)
    with pytest.raises(store.Conflict):
        add(empty, expected=1)


def test_append_from_future_version_raises_conflict(empty):
    add(empty)
    with pytest.raises(store.Conflict):
        add(empty, expected=7)


def test_create_of_existing_id_raises_conflict(empty):
    add(empty)
    with pytest.raises(store.Conflict):
        add(empty)


def test_failed_append_leaves_no_version_and_no_seq_gap(empty):
    add(empty)
    with pytest.raises(store.Conflict):
        add(empty, expected=5)
    assert add(empty, "y").seq == 2


def test_database_refuses_to_update_a_version(empty):
    add(empty)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        empty.execute("UPDATE versions SET body = '{}'")


def test_database_refuses_to_delete_a_version(empty):
    add(empty)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        empty.execute("DELETE FROM versions")


def test_latest_follows_the_head_row(empty):
    add(empty, body={"n": 1})
    add(empty, body={"n": 2}, expected=1)
    assert store.get_current(empty, "chips", "x").body == {"n": 2}


def test_as_of_reads_the_version_recorded_by_then(empty):
    add(empty, body={"n": 1}, when="2025-01-01T00:00:00Z")
    add(empty, body={"n": 2}, expected=1, when="2025-06-01T00:00:00Z")
    point = store.Point(as_of="2025-03-01T00:00:00Z")
    assert store.get_current(empty, "chips", "x", point).body == {"n": 1}


def test_as_of_before_creation_sees_nothing(empty):
    add(empty, when="2025-01-01T00:00:00Z")
    assert store.get_current(empty, "chips", "x", store.Point(as_of="2024-01-01T00:00:00Z")) is None


def test_tombstone_is_a_deleted_version_without_body(empty):
    add(empty)
    tomb = store.append(empty, "chips", "x", None, author="t", change_note="gone", expected=1)
    assert tomb.deleted and store.get_current(empty, "chips", "x").deleted


def test_list_current_skips_tombstones_and_pages_by_id(empty):
    for id_ in ("a", "b", "c"):
        add(empty, id_)
    store.append(empty, "chips", "b", None, author="t", change_note="gone", expected=1)
    assert [v.id for v in store.list_current(empty, "chips", limit=5)] == ["a", "c"]
    assert [v.id for v in store.list_current(empty, "chips", after="a", limit=5)] == ["c"]


def test_list_filters_by_json_field_and_list_membership(empty):
    add(empty, "a", {"origin": "us", "tags": ["p"]})
    add(empty, "b", {"origin": "china", "tags": ["q"]})
    only_china = store.list_current(empty, "chips", filters={"o": ("$.origin", "eq", "china")})
    tagged = store.list_current(empty, "chips", filters={"t": ("$.tags", "contains", "p")})
    assert [v.id for v in only_china] == ["b"] and [v.id for v in tagged] == ["a"]


def test_latest_read_uses_indexes_only_however_long_the_history(empty):
    add(empty)
    for n in range(1, 50):
        add(empty, expected=n)
    statements = []
    empty.conn.set_trace_callback(statements.append)
    store.get_current(empty, "chips", "x")
    empty.conn.set_trace_callback(None)
    # Re-plan the very statement get_current ran (parameters are inlined in the trace).
    plan = empty.execute("EXPLAIN QUERY PLAN " + statements[-1]).fetchall()
    assert "SCAN" not in " ".join(row[-1] for row in plan)


def test_release_taken_while_another_connection_writes_waits_instead_of_failing(tmp_path):
    path = str(tmp_path / "r.db")
    first, second = store.open_db(path), store.open_db(path)
    store.migrate(first)
    add(first)
    second.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a moment
    second.execute(
        "INSERT INTO versions (kind, id, version, recorded_at, author, change_note, body) "
        "VALUES ('chips', 'y', 1, '2025-01-01T00:00:00Z', 't', 'n', '{}')"
    )
    import threading

    threading.Timer(0.3, lambda: second.execute("COMMIT")).start()
    release = store.create_release(first, "r1", "t", "d")
    assert release.seq == 2 and store.release_manifest(first, "r1")["chips/y"] == 1
