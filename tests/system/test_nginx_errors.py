"""Errors before the app, behind the nginx of docs/deploy.md: HTTP that nginx or gunicorn refuses
(malformed, a URI or headers too long, too many headers) is answered as problem+json, and the
app's own errors pass through nginx untouched."""

import socket

import pytest
import requests

from tests.system.cluster import (
    healthy,
    nginx_or_skip,
    start_gunicorn,
    start_nginx,
    stop,
    wait_until,
)

pytestmark = pytest.mark.slow
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    binary = nginx_or_skip()
    folder = tmp_path_factory.mktemp("nginx-errors")
    app, app_url = start_gunicorn(folder / "app")
    nginx = None
    try:
        assert wait_until(lambda: healthy(app_url), timeout=60)
        nginx, url = start_nginx(binary, folder / "nginx", app_url, [app_url])
        assert wait_until(lambda: healthy(url), timeout=30)
        yield url
    finally:
        if nginx is not None:
            stop(nginx)
        stop(app)


def assert_problem(response: requests.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM)
    assert response.json()["status"] == status


def test_a_uri_too_long_is_a_414_problem(proxied):
    assert_problem(requests.get(f"{proxied}/chips?cursor={'x' * 5000}", timeout=10), 414)


def test_a_header_too_long_is_a_431_problem(proxied):
    response = requests.get(f"{proxied}/chips", headers={"X-Long": "x" * 6000}, timeout=10)
    assert_problem(response, 431)


def test_too_many_headers_for_gunicorn_is_a_431_problem(proxied):
    headers = {f"X-Header-{n}": "x" for n in range(120)}
    assert_problem(requests.get(f"{proxied}/chips", headers=headers, timeout=10), 431)


def test_malformed_http_is_a_400_problem(proxied):
    host, port = proxied.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /chips HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n")
        answer = sock.recv(65536).decode("latin-1")
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400")
    assert f"Content-Type: {PROBLEM}" in head and '"status":400' in body


def test_the_app_s_own_errors_pass_through_untouched(proxied):
    response = requests.get(f"{proxied}/chips/no-such-chip", timeout=10)
    assert_problem(response, 404)
    assert "no-such-chip" in response.json()["detail"]


def test_a_malformed_chunk_size_is_a_400(proxied):
    """nginx reads the body inside a proxied location, whose error pages must let the app's
    own 400s (with their details) through: this one 400 stays nginx's (docs/deploy.md)."""
    request = (
        b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
    )
    assert raw(proxied, request).status_code == 400


def test_an_unknown_transfer_coding_is_a_501_problem(proxied):
    assert_problem(
        raw(
            proxied,
            b"POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        ),
        501,
    )


class Raw:
    def __init__(self, status: int, content_type: str, body: str):
        self.status_code = status
        self.headers = {"Content-Type": content_type}
        self.text = body

    def json(self):
        import json

        return json.loads(self.text)


def raw(url: str, request: bytes) -> Raw:
    """Send bytes no HTTP library would: the answer's status, type and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = sock.recv(65536).decode("latin-1")
    head, _, body = answer.partition("\r\n\r\n")
    lines = head.split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Raw(int(lines[0].split()[1]), fields.get("Content-Type", ""), body)
