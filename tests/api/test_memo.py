"""Answers kept below Flask (service/web/memo.py): the app's own bytes, never stale.

Every comparison is against an app with the memo turned off (ANSWER_MEMO_BYTES=0) on the same
database: same status, same headers in the same order (but X-Request-Id), same body.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from service import create_app, store
from tests.conftest import H20_APPROVAL

MEASURES = json.loads(
    (Path(__file__).resolve().parents[2] / "calibration" / "measures.json").read_text("utf-8")
)["measures"]
READ = "/assumptions/a3"


@pytest.fixture
def plain(db_path):
    """The same app without the memo: what every kept answer must equal."""
    return create_app({"DATABASE": str(db_path), "TESTING": True, "ANSWER_MEMO_BYTES": 0})


def memo_of(app):
    """The memo in the app's WSGI chain (the scoring limit, ops/score_limit, stands before it)."""
    layer = app.wsgi_app
    return getattr(layer, "outer", layer)


def reaching_the_app(app) -> list[str]:
    """The paths of the requests that get past the memo to the app, from now on."""
    memo = memo_of(app)
    inner, calls = memo.wsgi_app, []

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    memo.wsgi_app = counting
    return calls


def seen(answer) -> tuple:
    headers = [(n, v) for n, v in answer.headers if n != "X-Request-Id"]
    return answer.status_code, headers, answer.get_data()


def once_kept(client, *args, **kwargs):
    """The answer once it is kept: a read's from its first sighting, a POST's its second."""
    for _ in range(2):
        client.open(*args, **kwargs)
    return client.open(*args, **kwargs)


def test_a_repeated_read_is_answered_without_running_the_app(app, client):
    client.get(READ)
    calls = reaching_the_app(app)
    assert client.get(READ).status_code == 200
    assert calls == []


REQUESTS = [
    {"path": READ},
    {"path": READ, "method": "HEAD"},
    {"path": READ, "headers": {"If-None-Match": "*"}},
    {"path": READ, "headers": {"If-None-Match": '"1", W/"2"'}},
    {"path": READ, "headers": {"Accept": "application/json", "Origin": "https://wiki.example"}},
    {"path": "/assumptions/a3/versions/1"},
    {"path": "/watchlist"},
    {"path": "/chips", "query_string": "limit=3"},
    {"path": "/controls", "query_string": "as_of=2025-08-01T00:00:00Z"},
    {"path": "/assumptions/a3/versions"},
    {"path": "/score", "method": "POST", "json": H20_APPROVAL},
    {"path": "/score", "method": "POST", "json": H20_APPROVAL, "query_string": "detail=summary"},
    {"path": "/score", "method": "POST", "json": {**H20_APPROVAL, "assumptions": {"a3": 0.1}}},
]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r.get('method', 'GET')} {r}")
def test_a_kept_answer_is_the_one_the_app_gives(client, plain, request_):
    assert seen(once_kept(client, **request_)) == seen(plain.test_client().open(**request_))


UNREAD = {"User-Agent": "curl/8.5", "X-Forwarded-For": "203.0.113.9", "Connection": "close"}


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r.get('method', 'GET')} {r}")
def test_the_headers_left_out_of_the_key_change_no_answer(plain, request_):
    other = plain.test_client()
    headers = {**request_.get("headers", {}), **UNREAD}
    assert seen(other.open(**request_)) == seen(other.open(**{**request_, "headers": headers}))


def test_no_code_reads_the_headers_left_out_of_the_key():
    spelled = (
        "user_agent",
        "User-Agent",
        "USER_AGENT",
        "X-Forwarded",
        "X_FORWARDED",
        "access_route",
        "remote_addr",
        "HTTP_CONNECTION",
        '"Connection"',
    )
    root = Path(__file__).resolve().parents[2] / "service"
    found = [
        f"{path.relative_to(root)}: {word}"
        for path in root.rglob("*.py")
        # memo.py names them; the publisher is a client of the API, sending its own; the
        # scoring limit stands in front of the memo (its refusals are errors, never kept);
        # config.py only documents which proxies it trusts.
        if path.name not in ("memo.py", "score_limit.py", "config.py")
        and "publish" not in path.relative_to(root).parts
        for word in spelled
        if word in path.read_text("utf-8")
    ]
    assert not found


def test_clients_behind_a_proxy_share_kept_answers(app, client):
    client.get(READ, headers={"X-Forwarded-For": "198.51.100.1", "User-Agent": "a"})
    calls = reaching_the_app(app)
    client.get(READ, headers={"X-Forwarded-For": "198.51.100.2", "User-Agent": "b"})
    assert calls == []


def test_a_write_through_the_api_is_read_at_once(client, editor):
    before = client.get(READ)
    headers = {**editor, "If-Match": before.headers["ETag"]}
    patch = {"statement": "Changed for the test."}
    answer = client.patch(
        READ, json=patch, headers=headers, content_type="application/merge-patch+json"
    )
    assert answer.status_code == 200
    assert client.get(READ).get_json()["body"]["statement"] == "Changed for the test."


def test_a_write_by_another_process_is_read_at_once(client, db):
    body = client.get(READ).get_json()["body"]
    version = client.get(READ).get_json()["version"]
    store.append(
        db,
        "assumptions",
        "a3",
        {**body, "statement": "Elsewhere."},
        author="t",
        change_note="another process",
        expected=version,
    )
    assert client.get(READ).get_json()["body"]["statement"] == "Elsewhere."


def test_a_new_release_or_a_new_database_file_moves_the_mark(app, client, admin, db_path):
    memo = memo_of(app)
    first = memo.mark()
    made = client.post("/releases", json={"name": "r-memo", "description": "t"}, headers=admin)
    assert made.status_code == 201
    second = memo.mark()
    assert second != first
    copy = db_path.with_name("copy.db")
    shutil.copy(db_path, copy)
    os.replace(copy, db_path)
    assert memo.mark() != second


def test_every_kept_answer_gets_its_own_request_id_or_echoes_the_caller_s(client):
    ids = {
        once_kept(client, READ).headers["X-Request-Id"],
        client.get(READ).headers["X-Request-Id"],
    }
    assert len(ids) == 2
    assert client.get(READ, headers={"X-Request-Id": "mine-1"}).headers["X-Request-Id"] == "mine-1"


@pytest.mark.parametrize(
    "path,headers",
    [(READ, {"Accept": "text/html"}), ("/review", {}), ("/no/such/thing", {}), ("/health", {})],
)
def test_pages_that_read_the_clock_and_errors_are_never_kept(app, client, path, headers):
    client.get(path, headers=headers)
    calls = reaching_the_app(app)
    client.get(path, headers=headers)
    assert calls == [path]


def test_a_read_with_a_body_is_never_kept(app, client):
    sent = {"data": "{}", "content_type": "application/json"}
    client.get(READ, **sent)
    calls = reaching_the_app(app)
    assert client.get(READ, data="{", content_type="application/json").status_code == 400
    client.get(READ, **sent)
    assert calls == [READ, READ]


BAD_BODIES = {
    "unknown chip": json.dumps({**H20_APPROVAL, "chips": ["no-such-chip"]}),
    "bad enum": json.dumps({**H20_APPROVAL, "direction": "sideways"}),
    "not JSON": '{"name": ',
    "not UTF-8": b'{"name": "\xff"}',
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_a_score_the_app_refuses_is_never_kept(app, client, plain, kind):
    sent = {"data": BAD_BODIES[kind], "content_type": "application/json"}
    for _ in range(2):
        client.post("/score", **sent)
    calls = reaching_the_app(app)
    mine, theirs = client.post("/score", **sent), plain.test_client().post("/score", **sent)
    assert mine.status_code >= 400 and seen(mine) == seen(theirs)
    assert calls == ["/score"]


def test_a_score_is_kept_from_its_second_sighting(app, client):
    memo = memo_of(app)
    client.post("/score", json=H20_APPROVAL)
    assert len(memo.answers) == 0
    client.post("/score", json=H20_APPROVAL)
    assert len(memo.answers) == 1
    calls = reaching_the_app(app)
    assert client.post("/score", json=H20_APPROVAL).status_code == 200
    assert calls == []
