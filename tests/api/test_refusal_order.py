"""Who before what: 401 before any other check on every write; no body where none is needed;
a problem's `instance` is always a URI reference (RFC 9457 3.1.5)."""

import re

import pytest

# RFC 3986: a URI reference holds only these characters, and `%` only before two hex digits.
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/releases", {"json": {"name": "Not A Slug!"}}),
        ("POST", "/releases", {"data": b"{not json", "content_type": "application/json"}),
        ("POST", "/releases", {"data": b"x", "content_type": "text/plain"}),
        ("PATCH", "/assumptions/a3", {"data": b"{}", "content_type": "text/plain"}),
        ("PATCH", "/assumptions/a3", {"json": {"title": 1}}),
        ("PUT", "/assumptions/a3", {"data": b"x", "content_type": "text/plain"}),
        ("POST", "/assumptions", {"data": b"{", "content_type": "application/json"}),
        ("DELETE", "/assumptions/a3", {"data": b"{", "content_type": "application/json"}),
    ],
)
def test_a_write_without_a_token_is_a_401_whatever_its_body(client, method, path, kwargs):
    answer = client.open(path, method=method, **kwargs)
    assert answer.status_code == 401, answer.get_json()
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_delete_with_a_stray_content_type_and_no_body_is_accepted(client, editor):
    etag = client.get("/assumptions/a3").headers["ETag"]
    answer = client.delete(
        "/assumptions/a3",
        headers={**editor, "If-Match": etag, "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["deleted"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/assumptions/%FF%FE",  # not UTF-8 once decoded
        "/assumptions/caf%C3%A9",  # UTF-8, but not ASCII
        "/assumptions/a%20b%25c",  # a space and a literal percent sign
        "/assumptions/a3?format=%FF%20x&y=<>",  # a query holding what a URI may not
    ],
)
def test_a_problem_instance_is_a_uri_reference(client, path):
    answer = client.get(path)
    assert answer.status_code >= 400
    instance = answer.get_json()["instance"]
    assert URI_REFERENCE.fullmatch(instance), instance
    assert instance.startswith("/assumptions/")
