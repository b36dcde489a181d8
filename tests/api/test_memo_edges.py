"""Edge cases of the answer memo (service/web/memo.py), found by trying to break it.

Each probe sends the same requests, in the same order, to an app with the memo and to one
without it (ANSWER_MEMO_BYTES=0) on the same database, and compares what the last request
got: status, headers in order (but X-Request-Id) and body.
"""

import io
import json

import pytest

from service import create_app
from service.web.memo import AnswerMemo
from tests.api.test_memo import memo_of, reaching_the_app, seen
from tests.conftest import H20_APPROVAL, append_version, tombstone

READ = "/assumptions/a3"


def apps(db_path, **config):
    """(with the memo, without it) on the same database, with the same extra config."""
    base = {"DATABASE": str(db_path), "TESTING": True, **config}
    return create_app(base), create_app({**base, "ANSWER_MEMO_BYTES": 0})


def named(control: dict, name: str) -> dict:
    return {**control, "name": name}


def raw(body: dict) -> str:
    return json.dumps(body)


# --- the memo's switch ---


def test_answer_memo_bytes_zero_installs_no_memo(db_path):
    mine, plain = apps(db_path)
    assert isinstance(memo_of(mine), AnswerMemo)
    assert not isinstance(memo_of(plain), AnswerMemo)


# --- kept POST /score answers ---


def test_a_score_kept_on_its_second_sighting_has_its_own_content_length(db_path):
    mine, plain = apps(db_path)
    control = named(H20_APPROVAL, "A much longer name than the first control had, by far")
    answers = []
    for app in (mine, plain):
        client = app.test_client()
        client.post("/score", json=H20_APPROVAL)
        client.post("/score", json=control)
        client.post("/score", json=control)
        answers.append(seen(client.post("/score", json=control)))  # third: from memo.answers
    assert answers[0] == answers[1]


def test_a_kept_score_s_content_length_is_the_length_of_its_body(db_path):
    mine, _ = apps(db_path)
    client = mine.test_client()
    client.post("/score", json=H20_APPROVAL)
    control = named(H20_APPROVAL, "Another, longer name for the control")
    for _ in range(3):
        answer = client.post("/score", json=control)
        assert int(answer.headers["Content-Length"]) == len(answer.get_data())


def test_the_memo_reads_no_body_past_a_configured_max_content_length(db_path):
    mine, plain = apps(db_path, MAX_CONTENT_LENGTH=800)
    long = named(H20_APPROVAL, "x" * 250) | {"description": "d" * 1500}
    answers = []
    for app in (mine, plain):
        client = app.test_client()
        assert client.post("/score", json=H20_APPROVAL).status_code == 200
        answers.append(client.post("/score", json=long).status_code)
    assert answers[0] == answers[1] == 413


def test_the_memo_reads_no_body_werkzeug_would_not_read_from_a_plus_signed_content_length(
    db_path,
):
    mine, plain = apps(db_path)
    body = raw(named(H20_APPROVAL, "plus-signed")).encode()
    answers = []
    for app in (mine, plain):
        client = app.test_client()
        client.post("/score", json=H20_APPROVAL)
        answer = client.post(
            "/score",
            data=body,
            content_type="application/json",
            environ_overrides={"CONTENT_LENGTH": f"+{len(body)}"},
        )
        answers.append(answer.status_code)
    assert answers[0] == answers[1]


def test_the_memo_reads_the_body_the_app_reads_when_a_chunked_request_has_a_content_length(
    db_path,
):
    """A server that passes both Transfer-Encoding: chunked and Content-Length on (and sets
    wsgi.input_terminated): Werkzeug reads the stream to its end, whatever Content-Length says."""
    mine, plain = apps(db_path)
    good = raw(named(H20_APPROVAL, "chunked")).encode()
    tail = b' "trailing"'

    def post(client, body: bytes, length: int):
        return client.post(
            "/score",
            data=body,
            content_type="application/json",
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={
                "CONTENT_LENGTH": str(length),
                "wsgi.input": io.BytesIO(body),
                "wsgi.input_terminated": True,
            },
        )

    answers = []
    for app in (mine, plain):
        client = app.test_client()
        assert post(client, raw(H20_APPROVAL).encode(), len(raw(H20_APPROVAL))).status_code == 200
        answers.append(post(client, good + tail, len(good)).status_code)
    assert answers[0] == answers[1]


# --- kept reads ---


def twice_on_both(db_path, config=None, **request_):
    mine, plain = apps(db_path, **(config or {}))
    client = mine.test_client()
    client.open(**request_)
    return seen(client.open(**request_)), seen(plain.test_client().open(**request_))


@pytest.mark.parametrize(
    "request_",
    [
        {"path": "/assumptions/a3/versions", "method": "HEAD"},
        {"path": "/chips", "method": "HEAD", "query_string": "limit=2"},
        {"path": READ, "query_string": "format=json"},
        {"path": READ, "query_string": "format=md"},
        {"path": READ, "headers": {"Accept": "application/json;q=0.5, text/markdown"}},
        {"path": READ, "headers": {"Accept": "application/*"}},
        {"path": READ, "headers": {"Accept": "image/png"}},
        {"path": READ, "headers": {"If-Modified-Since": "Wed, 01 Jan 2070 00:00:00 GMT"}},
        {"path": READ, "headers": {"If-Match": '"999"'}},
        {"path": READ, "headers": {"If-None-Match": "*"}, "method": "HEAD"},
        {"path": READ, "headers": {"If-None-Match": '"1"'}, "query_string": "as_of=2099-01-01"},
        {"path": "/assumptions/a3/versions/1", "headers": {"If-None-Match": '"1"'}},
        {"path": "/assumptions/a3/versions/99999999999999999999"},
        {"path": "/chips", "query_string": "limit=1&limit=1"},
        {"path": "/chips", "query_string": "cursor=bogus"},
        {"path": READ, "query_string": "release=no-such"},
        {"path": READ, "query_string": "as_of=1990-01-01T00:00:00Z"},
        {"path": "/controls", "query_string": "as_of=2099-01-01T00:00:00%2B00:00"},
    ],
    ids=lambda r: (
        f"{r.get('method', 'GET')} {r['path']} {r.get('query_string', '')} {r.get('headers', '')}"
    ),
)
def test_a_kept_read_is_the_app_s_answer(db_path, request_):
    mine, theirs = twice_on_both(db_path, **request_)
    assert mine == theirs


@pytest.mark.parametrize("origin", ["https://wiki.example", "https://evil.example", None])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_kept_read_with_cors_origins_configured_is_the_app_s_answer(db_path, origin, method):
    headers = {"Origin": origin} if origin else {}
    mine, theirs = twice_on_both(
        db_path,
        {"CORS_ORIGINS": "https://wiki.example"},
        path=READ,
        method=method,
        headers=headers,
    )
    assert mine == theirs


def test_a_kept_304_with_cors_origins_configured_is_the_app_s_answer(db_path):
    headers = {"Origin": "https://wiki.example", "If-None-Match": "*"}
    mine, theirs = twice_on_both(
        db_path, {"CORS_ORIGINS": "https://wiki.example"}, path=READ, headers=headers
    )
    assert mine == theirs


def test_a_kept_read_is_a_410_once_another_process_deletes_the_resource(db_path, db):
    mine, plain = apps(db_path)
    client = mine.test_client()
    client.get(READ)
    client.get(READ)
    tombstone(db, "assumptions", "a3")
    answer = client.get(READ)
    assert answer.status_code == 410
    assert seen(answer) == seen(plain.test_client().get(READ))


def test_a_kept_304_is_not_given_once_the_resource_changed(db_path, db):
    mine, plain = apps(db_path)
    client = mine.test_client()
    tag = client.get(READ).headers["ETag"]
    client.get(READ, headers={"If-None-Match": tag})
    body = client.get(READ).get_json()["body"]
    append_version(db, "assumptions", "a3", {**body, "statement": "moved"})
    answer = client.get(READ, headers={"If-None-Match": tag})
    assert answer.status_code == 200
    assert seen(answer) == seen(plain.test_client().get(READ, headers={"If-None-Match": tag}))


def test_a_read_of_a_release_is_answered_once_the_release_is_made(db_path, admin):
    mine, plain = apps(db_path)
    client = mine.test_client()
    assert client.get(READ, query_string="release=r-probe").status_code == 422
    made = client.post("/releases", json={"name": "r-probe", "description": "t"}, headers=admin)
    assert made.status_code == 201
    client.get(READ, query_string="release=r-probe")
    mine_answer = client.get(READ, query_string="release=r-probe")
    assert seen(mine_answer) == seen(plain.test_client().get(READ, query_string="release=r-probe"))


def test_a_kept_list_page_moves_with_a_write_in_another_process(db_path, db):
    mine, plain = apps(db_path)
    client = mine.test_client()
    client.get("/chips", query_string="limit=200")
    tombstone(db, "chips", "nvidia-h20")
    mine_answer = client.get("/chips", query_string="limit=200")
    assert seen(mine_answer) == seen(plain.test_client().get("/chips", query_string="limit=200"))


def test_a_kept_score_moves_with_a_write_in_another_process(db_path, db):
    mine, plain = apps(db_path)
    client = mine.test_client()
    client.post("/score", json=H20_APPROVAL)
    client.post("/score", json=H20_APPROVAL)
    body = client.get(READ).get_json()["body"]
    append_version(db, "assumptions", "a3", {**body, "credence": 0.02})
    assert seen(client.post("/score", json=H20_APPROVAL)) == seen(
        plain.test_client().post("/score", json=H20_APPROVAL)
    )


def test_a_get_with_a_transfer_encoding_is_not_kept(db_path):
    mine, _ = apps(db_path)
    client = mine.test_client()
    client.get(READ, headers={"Transfer-Encoding": "chunked"})
    calls = reaching_the_app(mine)
    client.get(READ, headers={"Transfer-Encoding": "chunked"})
    assert calls == [READ]


# --- config ---


def test_a_negative_answer_memo_bytes_answers_reads_as_the_app_does(db_path):
    _, plain = apps(db_path)
    mine = create_app({"DATABASE": str(db_path), "TESTING": True, "ANSWER_MEMO_BYTES": -1})
    assert seen(mine.test_client().get(READ)) == seen(plain.test_client().get(READ))
