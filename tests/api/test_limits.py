"""Body limits: a body over the documented size is a 413 however it is sent, and JSON nested
deeper than the parsers can follow is a 400, never a 500 from a RecursionError."""

import io

import pytest

from service.ops.limits import MAX_JSON_DEPTH, json_depth
from tests.api.test_errors import assert_problem

ONE_MIB = 1024 * 1024


def streamed(client, path: str, body: bytes):
    """A chunked request with no Content-Length, as gunicorn hands it over."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_streamed_body_over_the_size_limit_is_413_not_silently_cut(client):
    body = b'{"name": "' + b"x" * ONE_MIB + b'"}'
    assert_problem(streamed(client, "/score", body), 413)


def test_a_streamed_body_under_the_size_limit_is_read_whole(client):
    response = streamed(client, "/score", b'{"name": "x"}')
    assert "name" not in assert_problem(response, 422)["errors"]


@pytest.mark.parametrize("path", ["/score", "/score/batch", "/chips"])
def test_json_nested_past_the_limit_is_a_400_problem(client, editor, path):
    depth = 50_000  # far past Python's recursion limit, so the parser alone would fail
    body = '{"a":' * depth + "1" + "}" * depth
    # With a token: a write without one is a 401 before its body is read (ops/gate.py).
    answer = client.post(path, data=body, content_type="application/json", headers=editor)
    body = assert_problem(answer, 400)
    assert str(MAX_JSON_DEPTH) in body["detail"]


def test_json_nested_up_to_the_limit_reaches_validation(client):
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert_problem(client.post("/score", data=body, content_type="application/json"), 422)


def test_deep_merge_patch_is_a_400_problem(client, editor):
    body = '{"a":' * 900 + "1" + "}" * 900
    response = client.patch(
        "/chips/nvidia-h20",
        data=body,
        headers={**editor, "If-Match": "*"},
        content_type="application/merge-patch+json",
    )
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "text,depth",
    [
        (b"12", 0),
        (b"{}", 1),
        (b'[1, {"a": [2]}]', 3),
        (b'["[[[", "]]", "\\"[["]', 1),  # brackets and escaped quotes inside strings do not count
        (b'"unterminated [[[', 3),  # not a string, so not skipped: the parser would descend too
    ],
)
def test_json_depth_counts_only_structural_brackets(text, depth):
    assert json_depth(text) == depth


def chip_body(client) -> dict:
    body = client.get("/chips/nvidia-h20").get_json()["body"]
    return {**body, "name": "Idempotent chip"}


def test_an_idempotency_key_over_255_characters_is_422_naming_it(client, editor):
    response = client.post(
        "/chips",
        json=chip_body(client),
        headers={**editor, "Slug": "idem-chip", "Idempotency-Key": "k" * 256},
    )
    assert "headers.Idempotency-Key" in assert_problem(response, 422)["errors"]
    assert client.get("/chips/idem-chip").status_code == 404


def test_an_idempotency_key_of_255_characters_is_taken(client, editor):
    headers = {**editor, "Slug": "idem-chip", "Idempotency-Key": "k" * 255}
    first = client.post("/chips", json=chip_body(client), headers=headers)
    again = client.post("/chips", json=chip_body(client), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()


def test_an_idempotency_key_that_is_not_visible_ascii_is_422(client, editor):
    response = client.post(
        "/chips", json=chip_body(client), headers={**editor, "Idempotency-Key": "a key"}
    )
    assert_problem(response, 422)


def test_an_if_match_with_a_5000_digit_tag_is_412_not_500(client, editor):
    response = client.put(
        "/chips/nvidia-h20",
        json=client.get("/chips/nvidia-h20").get_json()["body"],
        headers={**editor, "If-Match": '"' + "1" * 5000 + '"'},
    )
    assert_problem(response, 412)


class MalformedChunks(io.BytesIO):
    """What gunicorn's chunked reader does when a chunk size is `zz`."""

    def read(self, *args):
        from gunicorn.http.errors import InvalidChunkSize

        raise InvalidChunkSize(b"zz")

    readline = read


@pytest.mark.parametrize("path", ["/score", "/chips", "/releases"])
def test_a_malformed_chunked_body_is_a_400_problem(client, admin, path):
    response = client.post(
        path,
        input_stream=MalformedChunks(),
        content_type="application/json",
        headers={**admin, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert assert_problem(response, 400)["type"] == "/problems/malformed-body"


@pytest.mark.slow
def test_a_malformed_chunked_body_is_a_400_problem_under_gunicorn(live_server):
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(live_server)
    request = (
        b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/problem+json" in head and b"malformed-body" in body
