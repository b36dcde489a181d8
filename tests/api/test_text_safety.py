"""Text that cannot be stored or hashed is a 4xx naming where it was, never a 500: lone
surrogates in JSON values, keys, query strings and headers; integers past Python's digit limit;
bodies that are not UTF-8 or not JSON; header text in UTF-8 stored as meant, not as mojibake."""

import json

import pytest

from tests.api.test_errors import assert_problem

LONE = '"\\ud83d"'  # what a JavaScript client sends after cutting text inside an emoji
STORED_CONTROL = "/controls/h20-licence-reversal-2025-07"


def control(client) -> dict:
    return client.get(STORED_CONTROL).get_json()["body"]["control"]


def with_member(document: dict, member: str) -> str:
    """JSON text of `document` with one more member written as raw JSON text."""
    return json.dumps(document)[:-1] + ", " + member + "}"


def post_json(client, path: str, text: str, headers=None):
    return client.post(path, data=text, content_type="application/json", headers=headers)


def test_a_lone_surrogate_in_a_score_value_is_422_naming_the_field(client):
    body = assert_problem(
        post_json(client, "/score", with_member(control(client), f'"description": {LONE}')), 422
    )
    assert "description" in body["errors"]


def test_a_lone_surrogate_in_a_member_name_is_422_naming_it(client):
    body = assert_problem(
        post_json(client, "/score", with_member(control(client), f"{LONE}: 1")), 422
    )
    assert "\\ud83d" in body["errors"]


def test_a_lone_surrogate_fails_only_its_own_batch_member(client):
    good = json.dumps(control(client))
    bad = with_member(control(client), f'"description": {LONE}')
    response = post_json(
        client, "/score/batch", f'{{"controls": {{"good": {good}, "bad": {bad}}}}}'
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert "framings" in results["good"]
    assert results["bad"]["status"] == 422 and "description" in results["bad"]["errors"]


def test_a_too_long_integer_fails_only_its_own_batch_member(client):
    good = json.dumps(control(client))
    bad = with_member(control(client), '"threshold_tpp": ' + "9" * 5000)
    response = post_json(
        client, "/score/batch", f'{{"controls": {{"good": {good}, "bad": {bad}}}}}'
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert "framings" in results["good"] and results["bad"]["status"] == 422


def test_a_lone_surrogate_batch_key_is_422(client):
    text = f'{{"controls": {{{LONE}: {json.dumps(control(client))}}}}}'
    assert_problem(post_json(client, "/score/batch", text), 422)


def test_a_lone_surrogate_in_a_write_is_422_and_stores_nothing(client, editor):
    before = client.get("/chips/nvidia-h20")
    body = before.get_json()["body"]
    text = json.dumps(body).replace('"vendor": "NVIDIA"', f'"vendor": {LONE}')
    assert text != json.dumps(body)
    response = client.put(
        "/chips/nvidia-h20",
        data=text,
        content_type="application/json",
        headers={**editor, "If-Match": before.headers["ETag"]},
    )
    assert "vendor" in assert_problem(response, 422)["errors"]
    assert client.get("/chips/nvidia-h20").get_json()["version"] == before.get_json()["version"]


def test_a_lone_surrogate_in_a_release_is_422(client, admin):
    text = f'{{"name": "r-surrogate", "description": {LONE}}}'
    body = assert_problem(post_json(client, "/releases", text, admin), 422)
    assert "description" in body["errors"]


def test_a_query_argument_that_is_not_utf8_is_422_naming_it(client):
    body = assert_problem(client.get("/assumptions?status=%ED%A0%BD"), 422)
    assert "query.status" in body["errors"]


def test_a_header_holding_a_lone_surrogate_is_422_naming_it(client):
    body = assert_problem(client.get("/chips", headers={"X-Anything": "a\udcff"}), 422)
    assert "headers.X-Anything" in body["errors"]


def test_a_cursor_whose_content_holds_a_surrogate_is_422(client):
    # base64 of {"after":"\ud83d"}: a cursor this API never issued
    body = assert_problem(client.get("/chips?cursor=eyJhZnRlciI6Ilx1ZDgzZCJ9"), 422)
    assert "query.cursor" in body["errors"]


@pytest.mark.parametrize("path", ["/score", "/score/batch", "/releases", "/chips"])
def test_an_integer_over_4300_digits_in_any_json_body_is_422_naming_it(client, admin, path):
    body = assert_problem(post_json(client, path, '{"x": ' + "1" * 5000 + "}", admin), 422)
    assert "x" in body["errors"] and "4,300" in body["errors"]["x"][0]


def test_a_body_that_is_not_utf8_is_400_naming_the_byte(client):
    body = assert_problem(post_json(client, "/score", b'{"name": "\xff"}'), 400)
    assert body["type"] == "/problems/malformed-body" and "byte 10" in body["detail"]


def test_a_body_that_is_not_json_is_400_naming_line_and_column(client):
    body = assert_problem(post_json(client, "/score", '{"name": \n oops}'), 400)
    assert "line 2" in body["detail"]


def test_a_utf8_change_note_is_stored_as_written_not_as_mojibake(client, editor):
    note = "Revisión — 中文"
    before = client.get("/chips/nvidia-h20")
    # What a WSGI server hands over: the header's UTF-8 bytes, each as one Latin-1 character.
    raw = note.encode("utf-8").decode("latin-1")
    response = client.put(
        "/chips/nvidia-h20",
        json=before.get_json()["body"],
        headers={**editor, "X-Change-Note": raw, "If-Match": before.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["change_note"] == note
    seq = response.get_json()["seq"]
    assert (
        client.get(f"/changes?since={seq - 1}&limit=1").get_json()["items"][0]["change_note"]
        == note
    )
    assert note in client.get("/changes.atom").get_data(as_text=True)


def test_a_change_note_in_rfc8187_form_is_decoded(client, editor):
    before = client.get("/chips/nvidia-h20")
    response = client.put(
        "/chips/nvidia-h20",
        json=before.get_json()["body"],
        headers={
            **editor,
            "X-Change-Note": "UTF-8''Revisi%C3%B3n%20%E2%80%94%20%E4%B8%AD%E6%96%87",
            "If-Match": before.headers["ETag"],
        },
    )
    assert response.get_json()["change_note"] == "Revisión — 中文"


def test_a_change_note_that_is_not_utf8_is_422_saying_how_to_send_it(client, editor):
    before = client.get("/chips/nvidia-h20")
    response = client.put(
        "/chips/nvidia-h20",
        json=before.get_json()["body"],
        headers={**editor, "X-Change-Note": "Revisi\xf3n", "If-Match": before.headers["ETag"]},
    )
    body = assert_problem(response, 422)
    assert "RFC 8187" in body["errors"]["headers.X-Change-Note"][0]
