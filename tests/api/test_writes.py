"""Editing the model over HTTP: every write a new version; nothing recorded is ever lost."""

import copy

import pytest

from service import store

MERGE = "application/merge-patch+json"


def read(client, path):
    response = client.get(path)
    return response.get_json(), response.headers.get("ETag")


def a4_with_credence(client, credence):
    body, etag = read(client, "/assumptions/a4")
    new = copy.deepcopy(body["body"])
    new["assessment"]["credence"] = credence
    return new, etag


def test_put_appends_a_new_version_with_author_and_note(client, editor):
    body, etag = a4_with_credence(client, 0.11)
    response = client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag})
    assert response.status_code == 200
    written = response.get_json()
    assert written["version"] == int(etag.strip('"')) + 1
    assert (written["author"], written["change_note"]) == ("ed", "test change")
    assert response.headers["ETag"] == f'"{written["version"]}"'
    assert client.get("/assumptions/a4").get_json()["body"]["assessment"]["credence"] == 0.11


def test_put_keeps_the_previous_version_readable_unchanged(client, editor):
    before, etag = read(client, "/assumptions/a4")
    body, _ = a4_with_credence(client, 0.12)
    client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag})
    assert client.get(f"/assumptions/a4/versions/{before['version']}").get_json() == before


def test_write_without_token_is_401(client):
    body, etag = a4_with_credence(client, 0.1)
    response = client.put(
        "/assumptions/a4", json=body, headers={"If-Match": etag, "X-Change-Note": "x"}
    )
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_write_with_unknown_token_is_401(client):
    response = client.delete(
        "/chips/nvidia-a100",
        headers={"Authorization": "Bearer fr_nope", "If-Match": 'W/"1"', "X-Change-Note": "x"},
    )
    assert response.status_code == 401


def test_release_with_editor_token_is_403(client, editor):
    response = client.post("/releases", json={"name": "r1", "description": "d"}, headers=editor)
    assert response.status_code == 403


def test_write_without_if_match_is_428(client, editor):
    body, _ = a4_with_credence(client, 0.1)
    response = client.put("/assumptions/a4", json=body, headers=editor)
    assert response.status_code == 428
    assert response.mimetype == "application/problem+json"


def test_write_from_stale_etag_is_412_and_writes_nothing(client, editor, db):
    body, etag = a4_with_credence(client, 0.2)
    assert (
        client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag}).status_code
        == 200
    )
    seq = store.max_seq(db)
    response = client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag})
    assert response.status_code == 412 and store.max_seq(db) == seq
    assert response.headers["ETag"] != etag


def test_write_without_change_note_is_422_naming_the_header(client, editor):
    body, etag = a4_with_credence(client, 0.1)
    headers = {"Authorization": editor["Authorization"], "If-Match": etag}
    response = client.put("/assumptions/a4", json=body, headers=headers)
    assert response.status_code == 422
    assert "headers.X-Change-Note" in response.get_json()["errors"]


def test_invalid_body_is_422_naming_every_field_and_writes_nothing(client, editor, db):
    body, etag = a4_with_credence(client, 7)
    body["assessment"]["status"] = "sideways"
    body["colour"] = "red"
    seq = store.max_seq(db)
    response = client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag})
    errors = response.get_json()["errors"]
    assert response.status_code == 422 and store.max_seq(db) == seq
    assert {"assessment.credence", "assessment.status", "colour"} <= set(errors)


def test_body_naming_an_unknown_chip_is_422(client, editor):
    body, etag = read(client, "/controls/h20-licence-reversal-2025-07")
    body["body"]["control"]["chips"] = ["nvidia-h20", "nvidia-z9"]
    response = client.put(
        "/controls/h20-licence-reversal-2025-07",
        json=body["body"],
        headers={**editor, "If-Match": etag},
    )
    assert response.status_code == 422 and "control.chips" in response.get_json()["errors"]


def test_framing_with_criterion_on_unknown_assumption_is_422_naming_it(client, editor):
    body, etag = read(client, "/framings/sliding-scale")
    framing = body["body"]
    framing["criteria"][0]["relies_on"] = [{"assumption": "a99", "holds": True}]
    response = client.put(
        "/framings/sliding-scale", json=framing, headers={**editor, "If-Match": etag}
    )
    assert response.status_code == 422
    assert "criteria.0.relies_on.0.assumption" in response.get_json()["errors"]


def test_patch_merges_into_the_latest_body(client, editor):
    _, etag = read(client, "/assumptions/a4")
    response = client.patch(
        "/assumptions/a4",
        json=None,
        data='{"assessment": {"credence": 0.3}}',
        content_type=MERGE,
        headers={**editor, "If-Match": etag},
    )
    assert response.status_code == 200
    body = response.get_json()["body"]
    assert body["assessment"]["credence"] == 0.3 and body["assessment"]["status"]


def test_patch_with_plain_json_content_type_is_415(client, editor):
    _, etag = read(client, "/assumptions/a4")
    response = client.patch(
        "/assumptions/a4", json={"title": "x"}, headers={**editor, "If-Match": etag}
    )
    assert response.status_code == 415


def test_patch_that_removes_a_required_field_is_422(client, editor):
    _, etag = read(client, "/assumptions/a4")
    response = client.patch(
        "/assumptions/a4",
        data='{"statement": null}',
        content_type=MERGE,
        headers={**editor, "If-Match": etag},
    )
    assert response.status_code == 422 and "statement" in response.get_json()["errors"]


def chip_body(client):
    body = copy.deepcopy(read(client, "/chips/nvidia-h20")[0]["body"])
    body["name"] = "Example Accelerator X1"
    return body


def test_post_creates_version_one_with_location_and_etag(client, editor):
    response = client.post("/chips", json=chip_body(client), headers=editor)
    assert response.status_code == 201
    assert response.headers["Location"] == "/chips/example-accelerator-x1"
    assert response.headers["ETag"] == '"1"'
    assert client.get("/chips/example-accelerator-x1").status_code == 200


def test_post_takes_the_id_from_the_slug_header(client, editor):
    response = client.post("/chips", json=chip_body(client), headers={**editor, "Slug": "x1"})
    assert response.headers["Location"] == "/chips/x1"


def test_post_of_an_existing_id_is_409(client, editor):
    response = client.post(
        "/chips", json=chip_body(client), headers={**editor, "Slug": "nvidia-h20"}
    )
    assert response.status_code == 409


def test_post_with_same_idempotency_key_and_body_answers_the_same_once(client, editor, db):
    headers = {**editor, "Idempotency-Key": "k-1"}
    first = client.post("/chips", json=chip_body(client), headers=headers)
    seq = store.max_seq(db)
    second = client.post("/chips", json=chip_body(client), headers=headers)
    assert (second.status_code, second.data) == (first.status_code, first.data)
    assert store.max_seq(db) == seq


def test_post_with_same_idempotency_key_and_other_body_is_422(client, editor):
    headers = {**editor, "Idempotency-Key": "k-2"}
    client.post("/chips", json=chip_body(client), headers=headers)
    other = chip_body(client)
    other["name"] = "Something Else"
    response = client.post("/chips", json=other, headers=headers)
    assert (
        response.status_code == 422 and "headers.Idempotency-Key" in response.get_json()["errors"]
    )


def test_delete_appends_a_tombstone_and_latest_answers_410(client, editor):
    _, etag = read(client, "/chips/nvidia-a100")
    response = client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": etag})
    assert response.status_code == 200 and response.get_json()["deleted"] is True
    assert client.get("/chips/nvidia-a100").status_code == 410
    assert client.get("/chips/nvidia-a100/versions/1").status_code == 200


def test_put_after_delete_revives_the_resource_as_created(client, editor):
    body, etag = read(client, "/chips/nvidia-a100")
    tomb = client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": etag})
    response = client.put(
        "/chips/nvidia-a100",
        json=body["body"],
        headers={**editor, "If-Match": tomb.headers["ETag"]},
    )
    # It had no current representation and now has one: 201 (RFC 9110 9.3.4).
    assert response.status_code == 201
    assert response.headers["Location"] == "/chips/nvidia-a100"
    assert client.get("/chips/nvidia-a100").get_json()["version"] == body["version"] + 2


def test_delete_of_a_deleted_resource_is_410(client, editor):
    _, etag = read(client, "/chips/nvidia-a100")
    tomb = client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": etag})
    again = client.delete(
        "/chips/nvidia-a100", headers={**editor, "If-Match": tomb.headers["ETag"]}
    )
    assert again.status_code == 410


def test_write_to_unknown_resource_is_404(client, editor):
    response = client.delete("/chips/no-such-chip", headers={**editor, "If-Match": 'W/"1"'})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/assumptions/a4", "/chips"])
def test_malformed_json_body_is_a_problem_not_a_500(client, editor, path):
    method = client.put if path.count("/") == 2 else client.post
    response = method(
        path,
        data="{not json",
        content_type="application/json",
        headers={**editor, "If-Match": 'W/"1"'},
    )
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"


def test_post_with_same_idempotency_key_and_reordered_body_answers_the_same(client, editor):
    headers = {**editor, "Idempotency-Key": "k-3"}
    body = chip_body(client)
    first = client.post("/chips", json=body, headers=headers)
    reordered = dict(reversed(list(body.items())))
    second = client.post("/chips", json=reordered, headers=headers)
    assert (second.status_code, second.data) == (first.status_code, first.data)


def test_chip_figure_given_as_a_string_is_422_not_coerced(client, editor):
    body, etag = read(client, "/chips/nvidia-h20")
    body["body"]["tpp"] = "2368"
    response = client.put(
        "/chips/nvidia-h20", json=body["body"], headers={**editor, "If-Match": etag}
    )
    assert response.status_code == 422 and "tpp" in response.get_json()["errors"]


def test_unknown_chip_is_named_alongside_type_errors_in_a_write(client, editor):
    body, etag = read(client, "/controls/h20-licence-reversal-2025-07")
    control = body["body"]["control"]
    control["chips"], control["direction"] = ["nvidia-z9"], "sideways"
    response = client.put(
        "/controls/h20-licence-reversal-2025-07",
        json=body["body"],
        headers={**editor, "If-Match": etag},
    )
    assert {"control.chips", "control.direction"} <= set(response.get_json()["errors"])


def test_a_patch_changing_a_credence_dates_the_assessment_the_write_s_day(client, editor):
    _, etag = read(client, "/assumptions/a4")
    response = client.patch(
        "/assumptions/a4",
        data='{"assessment": {"credence": 0.07}}',
        content_type=MERGE,
        headers={**editor, "If-Match": etag},
    )
    written = response.get_json()
    day = written["recorded_at"][:10]
    assessment = written["body"]["assessment"]
    assert (assessment["assessed_on"], assessment["last_reviewed"]) == (day, day)
    markdown = client.get("/assumptions/a4?format=md").get_data(as_text=True)
    assert f"as of {day}" in markdown


def test_a_put_changing_a_status_with_its_own_assessed_on_keeps_that_date(client, editor):
    body, etag = a4_with_credence(client, 0.3)
    body["assessment"].update(status="weakening", assessed_on="2025-09", last_reviewed="2025-09")
    response = client.put("/assumptions/a4", json=body, headers={**editor, "If-Match": etag})
    assert response.get_json()["body"]["assessment"]["assessed_on"] == "2025-09"


def test_a_patch_that_leaves_the_assessment_alone_leaves_its_dates(client, editor):
    before, etag = read(client, "/assumptions/a4")
    response = client.patch(
        "/assumptions/a4",
        data='{"title": "Retitled"}',
        content_type=MERGE,
        headers={**editor, "If-Match": etag},
    )
    assert response.get_json()["body"]["assessment"] == before["body"]["assessment"]
