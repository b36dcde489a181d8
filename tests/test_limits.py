"""Body limits: a body over the documented size is a 413 however it is sent, and JSON nested
deeper than the parsers can follow is a 400, never a 500 from a RecursionError."""

import io

import pytest

from service.limits import MAX_JSON_DEPTH, json_depth
from tests.test_errors import assert_problem

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
def test_json_nested_past_the_limit_is_a_400_problem(client, path):
    depth = 50_000  # far past Python's recursion limit, so the parser alone would fail
    body = '{"a":' * depth + "1" + "}" * depth
    body = assert_problem(client.post(path, data=body, content_type="application/json"), 400)
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
