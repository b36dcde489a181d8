"""Edge cases of the answer memo and the score lane (service/web/memo.py), found by trying
to break them.

Each probe sends the same requests, in the same order, to an app with the memo and to one
without it (ANSWER_MEMO_BYTES=0) on the same database, and compares what the last request
got: status, headers in order (but X-Request-Id) and body.
"""

import io
import json

import pytest

from schemas.control import ScoreRequestSchema
from schemas.first_pass import first_pass
from service import create_app
from service.web.memo import AnswerMemo
from tests.api.test_memo import reaching_the_app, seen
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
    assert isinstance(mine.wsgi_app, AnswerMemo)
    assert not isinstance(plain.wsgi_app, AnswerMemo)


# --- the lane ---


def test_a_lane_answer_kept_on_its_second_sighting_has_its_own_content_length(db_path):
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


def test_a_lane_answer_s_content_length_is_the_length_of_its_body(db_path):
    mine, _ = apps(db_path)
    client = mine.test_client()
    client.post("/score", json=H20_APPROVAL)
    control = named(H20_APPROVAL, "Another, longer name for the lane's control")
    for _ in range(3):
        answer = client.post("/score", json=control)
        assert int(answer.headers["Content-Length"]) == len(answer.get_data())


def test_the_lane_refuses_a_body_past_a_configured_max_content_length(db_path):
    mine, plain = apps(db_path, MAX_CONTENT_LENGTH=800)
    long = named(H20_APPROVAL, "x" * 250) | {"description": "d" * 1500}
    answers = []
    for app in (mine, plain):
        client = app.test_client()
        assert client.post("/score", json=H20_APPROVAL).status_code == 200
        answers.append(client.post("/score", json=long).status_code)
    assert answers[0] == answers[1] == 413


def test_the_lane_reads_no_body_werkzeug_would_not_read_from_a_plus_signed_content_length(
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


def test_the_lane_reads_the_body_the_app_reads_when_a_chunked_request_has_a_content_length(
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


def lane_and_plain(db_path, first: dict, then_data: str, content_type="application/json", **kw):
    """The answer to `then_data` after `first` was answered, from each app; and the calls
    that reached the memo app's Flask app for the second request."""
    mine, plain = apps(db_path)
    client, other = mine.test_client(), plain.test_client()
    client.post("/score", json=first, content_type=content_type, **kw)
    other.post("/score", json=first, content_type=content_type, **kw)
    calls = reaching_the_app(mine)
    sent = {"data": then_data, "content_type": content_type, **kw}
    return seen(client.post("/score", **sent)), seen(other.post("/score", **sent)), calls


def test_the_lane_answers_a_body_with_duplicate_keys_as_the_app_does(db_path):
    body = raw(H20_APPROVAL)[:-1] + ', "name": "The last name wins"}'
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_answers_a_negative_zero_what_if_as_the_app_does(db_path):
    body = raw({**H20_APPROVAL, "assumptions": {"a3": -0.0}})
    mine, theirs, _ = lane_and_plain(db_path, {**H20_APPROVAL, "assumptions": {"a3": 0.0}}, body)
    assert mine == theirs


def test_the_lane_answers_an_integer_negative_zero_what_if_as_the_app_does(db_path):
    body = raw(H20_APPROVAL)[:-1] + ', "assumptions": {"a3": -0}}'
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_leaves_an_infinite_what_if_to_the_app(db_path):
    body = raw(H20_APPROVAL)[:-1] + ', "assumptions": {"a3": 1e400}}'
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 422 and calls == ["/score"]


def test_the_lane_leaves_a_nan_what_if_to_the_app(db_path):
    body = raw(H20_APPROVAL)[:-1] + ', "assumptions": {"a3": NaN}}'
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 422


def test_the_lane_answers_a_tiny_float_what_if_as_the_app_does(db_path):
    body = raw({**H20_APPROVAL, "assumptions": {"a3": 1e-7}})
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_answers_a_huge_integer_in_a_string_field_as_the_app_does(db_path):
    body = raw(H20_APPROVAL)[:-1] + ', "description": ' + "9" * 5000 + "}"
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 422


def test_the_lane_answers_unicode_names_as_the_app_does(db_path):
    body = json.dumps(named(H20_APPROVAL, "Zürich \u2028 ✓ 𝄞 \u0000"), ensure_ascii=False)
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_leaves_a_body_with_a_bom_to_the_app(db_path):
    body = "\ufeff" + raw(named(H20_APPROVAL, "bom"))
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 400


@pytest.mark.parametrize(
    "content_type,headers,status",
    [
        ("application/json; charset=UTF-8", {}, 200),
        ("application/json; charset=latin-1", {}, 415),
        ("application/vnd.framings+json", {}, 200),
        ("application/json", {"Expect": "100-continue"}, 200),
    ],
)
def test_the_lane_answers_each_content_type_and_expectation_as_the_app_does(
    db_path, content_type, headers, status
):
    body = raw(named(H20_APPROVAL, content_type))
    mine, theirs, _ = lane_and_plain(
        db_path, H20_APPROVAL, body, content_type=content_type, headers=headers
    )
    assert mine == theirs and mine[0] == status


def test_the_lane_answers_detail_summary_as_the_app_does(db_path):
    body = raw(named(H20_APPROVAL, "summary"))
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body, query_string="detail=summary")
    assert mine == theirs


def test_a_repeated_detail_is_refused_with_or_without_the_memo(db_path):
    body = raw(named(H20_APPROVAL, "twice"))
    mine, theirs, calls = lane_and_plain(
        db_path, H20_APPROVAL, body, query_string="detail=summary&detail=summary"
    )
    assert mine == theirs and mine[0] == 422


def test_the_lane_leaves_format_json_to_the_app_and_it_answers_alike(db_path):
    body = raw(named(H20_APPROVAL, "format"))
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body, query_string="format=json")
    assert mine == theirs and calls == ["/score"]


@pytest.mark.parametrize(
    "accept", ["application/json;q=0.5, text/html", "text/markdown", "*/*", "application/*"]
)
def test_the_lane_answers_accept_variants_as_the_app_does(db_path, accept):
    body = raw(named(H20_APPROVAL, "accept"))
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body, headers={"Accept": accept})
    assert mine == theirs


def test_the_lane_leaves_a_chip_with_a_trailing_newline_to_the_app(db_path):
    body = raw({**H20_APPROVAL, "chips": ["nvidia-h20\n"]})
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 422 and calls == ["/score"]


def test_the_lane_answers_empty_and_repeated_lists_as_the_app_does(db_path):
    body = raw({**H20_APPROVAL, "chips": [], "layers": ["inference_chips"] * 2})
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_leaves_empty_targets_to_the_app(db_path):
    body = raw({**H20_APPROVAL, "targets": []})
    mine, theirs, calls = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs and mine[0] == 422


def test_the_lane_answers_a_threshold_as_the_app_does(db_path):
    body = raw({**H20_APPROVAL, "threshold": {"basis": "fixed", "tpp": 4800}})
    mine, theirs, _ = lane_and_plain(db_path, H20_APPROVAL, body)
    assert mine == theirs


def test_the_lane_answers_an_origin_with_cors_origins_configured_as_the_app_does(db_path):
    mine, plain = apps(db_path, CORS_ORIGINS="https://wiki.example")
    body = raw(named(H20_APPROVAL, "cors"))
    headers = {"Origin": "https://wiki.example"}
    answers = []
    for app in (mine, plain):
        client = app.test_client()
        client.post("/score", json=H20_APPROVAL, headers=headers)
        answers.append(
            seen(client.post("/score", data=body, headers=headers, content_type="application/json"))
        )
    assert answers[0] == answers[1]


def test_the_lane_scores_against_the_model_after_a_write_by_another_process(db_path, db):
    mine, plain = apps(db_path)
    client, other = mine.test_client(), plain.test_client()
    client.post("/score", json=H20_APPROVAL)
    other.post("/score", json=H20_APPROVAL)
    body = other.get(READ).get_json()["body"]
    append_version(db, "assumptions", "a3", {**body, "credence": 0.01})
    control = named(H20_APPROVAL, "after the write")
    assert seen(client.post("/score", json=control)) == seen(other.post("/score", json=control))


def test_the_lane_leaves_a_chip_deleted_by_another_process_to_the_app(db_path, db):
    mine, plain = apps(db_path)
    client, other = mine.test_client(), plain.test_client()
    client.post("/score", json=H20_APPROVAL)
    tombstone(db, "chips", "nvidia-h20")
    control = named(H20_APPROVAL, "deleted chip")
    mine_answer, theirs = client.post("/score", json=control), other.post("/score", json=control)
    assert seen(mine_answer) == seen(theirs) and theirs.status_code == 422


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


# --- the first pass ---


def marshmallow_or_none(document):
    try:
        return ScoreRequestSchema().load(document)
    except Exception:  # noqa: BLE001 - any refusal
        return None


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"name": "x" * 301},
        {"name": "x" * 300},
        {"description": ""},
        {"description": None},
        {"chips": ["nvidia-h20\n"]},
        {"chips": ["Nvidia-h20"]},
        {"chips": []},
        {"targets": []},
        {"layers": []},
        {"layers": ["inference_chips\n"]},
        {"direction": "loosen\n"},
        {"extraterritorial": 0},
        {"extraterritorial": None},
        {"linked_to_negotiations": True},
        {"reach": "china_market"},
        {"reach": ["china_market", None]},
    ],
    ids=repr,
)
def test_the_first_pass_takes_only_what_marshmallow_loads_the_same(change):
    document = {**H20_APPROVAL, **change}
    fast = first_pass(ScoreRequestSchema, document)
    if fast is not None:
        full = marshmallow_or_none(document)
        assert full == fast
        assert list(full) == list(fast)


# --- config ---


def test_a_negative_answer_memo_bytes_answers_reads_as_the_app_does(db_path):
    _, plain = apps(db_path)
    mine = create_app({"DATABASE": str(db_path), "TESTING": True, "ANSWER_MEMO_BYTES": -1})
    assert seen(mine.test_client().get(READ)) == seen(plain.test_client().get(READ))
