"""Diffs between versions: an RFC 6902 JSON Patch with old values (GET .../versions/<n>/diff)."""

import copy

import jsonpatch
import pytest

from service import store
from service.fixtures import read_histories
from tests.conftest import FIXTURES, append_version

KINDS = ("framings", "assumptions", "watchlist", "chips", "controls")
HISTORIES = read_histories(FIXTURES)


def body_of(client, kind, id_, number):
    return client.get(f"/{kind}/{id_}/versions/{number}").get_json()["body"]


def write(db, kind, id_, body, note="A test change", author="tester"):
    return append_version(db, kind, id_, body, note=note, author=author)


def without_old(patch):
    return [{k: v for k, v in op.items() if k != "old"} for op in patch]


# --- diff ----------------------------------------------------------------------------------


def test_diff_of_a_changed_field_is_a_replace_with_old_and_new_value(client):
    old = body_of(client, "assumptions", "a2", 2)
    new = body_of(client, "assumptions", "a2", 3)
    assert old["assessment"]["credence"] != new["assessment"]["credence"]
    patch = client.get("/assumptions/a2/versions/3/diff?from=2").get_json()["patch"]
    assert {
        "op": "replace",
        "path": "/assessment/credence",
        "value": new["assessment"]["credence"],
        "old": old["assessment"]["credence"],
    } in patch


def test_diff_answers_kind_id_from_to_and_patch(client):
    response = client.get("/assumptions/a2/versions/3/diff?from=1")
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    assert set(answer) == {"kind", "id", "from", "to", "patch"}
    assert (answer["kind"], answer["id"], answer["from"], answer["to"]) == (
        "assumptions",
        "a2",
        1,
        3,
    )


def test_diff_from_defaults_to_the_previous_version(client):
    default = client.get("/assumptions/a1/versions/3/diff").get_json()
    explicit = client.get("/assumptions/a1/versions/3/diff?from=2").get_json()
    assert default["from"] == 2 and default == explicit


def test_diff_of_version_one_adds_the_whole_body_from_nothing(client):
    answer = client.get("/assumptions/a1/versions/1/diff").get_json()
    assert answer["from"] == 0
    assert jsonpatch.apply_patch({}, without_old(answer["patch"])) == body_of(
        client, "assumptions", "a1", 1
    )


def test_diff_of_added_and_removed_list_items(client, db):
    before = body_of(client, "assumptions", "a1", store.head_version(db, "assumptions", "a1"))
    after = copy.deepcopy(before)
    removed = after["evidence"].pop(0)
    after["indicators"].append("A new indicator to watch")
    version = write(db, "assumptions", "a1", after)
    patch = client.get(f"/assumptions/a1/versions/{version.version}/diff").get_json()["patch"]
    assert {"op": "remove", "path": "/evidence/0", "old": removed} in patch
    added = f"/indicators/{len(after['indicators']) - 1}"
    assert {"op": "add", "path": added, "value": "A new indicator to watch"} in patch


def test_diff_old_values_follow_earlier_operations_in_the_patch(client, db):
    before = body_of(client, "assumptions", "a1", store.head_version(db, "assumptions", "a1"))
    after = copy.deepcopy(before)
    after["indicators"] = [before["indicators"][1]]
    after["indicators"] += ["x"] if len(before["indicators"]) < 3 else []
    version = write(db, "assumptions", "a1", after)
    patch = client.get(f"/assumptions/a1/versions/{version.version}/diff").get_json()["patch"]
    document = copy.deepcopy(before)
    for op in patch:
        if op["op"] in ("remove", "replace"):
            assert op["old"] == jsonpatch.JsonPointer(op["path"]).resolve(document)
        document = jsonpatch.apply_patch(document, without_old([op]))
    assert document == after


@pytest.mark.parametrize(
    "history",
    [h for h in HISTORIES if len(h["versions"]) > 1],
    ids=lambda h: f"{h['kind']}/{h['id']}",
)
def test_diff_patch_turns_the_old_version_into_the_new_without_move_or_copy(client, history):
    kind, id_, versions = history["kind"], history["id"], history["versions"]
    last = len(versions)
    for start, end in [*((n - 1, n) for n in range(2, last + 1)), (1, last), (last, 1)]:
        patch = client.get(f"/{kind}/{id_}/versions/{end}/diff?from={start}").get_json()["patch"]
        assert patch and {op["op"] for op in patch} <= {"add", "remove", "replace"}
        assert all(("old" in op) == (op["op"] != "add") for op in patch)
        old, new = body_of(client, kind, id_, start), body_of(client, kind, id_, end)
        assert jsonpatch.apply_patch(old, without_old(patch)) == new


def test_diff_of_a_version_with_itself_is_empty(client):
    assert client.get("/assumptions/a2/versions/2/diff?from=2").get_json()["patch"] == []


def test_diff_to_a_tombstone_removes_every_field_with_its_old_value(client, db):
    head = store.head_version(db, "chips", "nvidia-h20")
    body = body_of(client, "chips", "nvidia-h20", head)
    tombstone = write(db, "chips", "nvidia-h20", None, note="Withdrawn")
    patch = client.get(f"/chips/nvidia-h20/versions/{tombstone.version}/diff").get_json()["patch"]
    assert {op["op"] for op in patch} == {"remove"}
    assert {op["path"].lstrip("/"): op["old"] for op in patch} == body


def test_diff_from_a_tombstone_adds_every_field_of_the_revived_body(client, db):
    body = body_of(client, "chips", "nvidia-h20", store.head_version(db, "chips", "nvidia-h20"))
    write(db, "chips", "nvidia-h20", None, note="Withdrawn")
    revived = write(db, "chips", "nvidia-h20", body, note="Restored")
    patch = client.get(f"/chips/nvidia-h20/versions/{revived.version}/diff").get_json()["patch"]
    assert {op["op"] for op in patch} == {"add"}
    assert jsonpatch.apply_patch({}, patch) == body


def test_diff_with_unknown_version_is_404_problem(client):
    response = client.get("/assumptions/a1/versions/999/diff")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_diff_from_unknown_version_is_404_problem(client):
    response = client.get("/assumptions/a1/versions/2/diff?from=999")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_diff_of_unknown_resource_is_404_problem(client):
    response = client.get("/assumptions/a99/versions/1/diff")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert "a99" in response.get_json()["detail"]


def test_diff_with_version_number_beyond_sqlite_range_is_404_not_500(client):
    response = client.get(f"/assumptions/a1/versions/{10**30}/diff")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", str(10**30)])
def test_diff_from_that_is_not_a_version_number_is_422_naming_query_from(client, value):
    response = client.get(f"/assumptions/a1/versions/2/diff?from={value}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["query.from"]


def test_diff_with_unknown_query_argument_is_422(client):
    response = client.get("/assumptions/a1/versions/2/diff?form=1")
    assert response.status_code == 422 and "query.form" in response.get_json()["errors"]


def test_diff_route_exists_for_every_kind_and_no_other(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for kind in KINDS:
        assert f"/{kind}/{{id}}/versions/{{number}}/diff" in paths
    assert client.get("/unicorns/x/versions/2/diff").status_code == 404
