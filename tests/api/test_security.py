"""Security headers, CORS on reads, cache lifetimes, write rate limits and secret-free logs."""

import base64
import hashlib
import logging
import re

import pytest

from service import create_app
from service.ops import limits

ORIGIN = {"Origin": "https://wiki.example.org"}


def app_with(db_path, **config):
    return create_app({"DATABASE": str(db_path), "TESTING": True, **config})


@pytest.mark.parametrize(
    "method,path",
    [("GET", "/chips"), ("GET", "/no/such/page"), ("POST", "/score"), ("GET", "/openapi.json")],
)
def test_every_answer_carries_the_security_headers(client, method, path):
    headers = client.open(path, method=method, json={}).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Cross-Origin-Resource-Policy" in headers


def test_a_304_carries_the_fields_that_guide_caches_and_the_cors_grant_only(client):
    etag = client.get("/assumptions/a3").headers["ETag"]
    answer = client.get("/assumptions/a3", headers={"If-None-Match": etag})
    assert answer.status_code == 304
    assert [name for name, _ in answer.headers] == [
        "ETag",
        "Vary",
        "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers",
        "Cache-Control",
        "X-Request-Id",
    ]


def test_a_304_without_an_etag_keeps_last_modified():
    from service.web.preconditions import not_modified

    headers = {"Last-Modified": "Sun, 29 Nov 2026 00:00:00 GMT", "Vary": "Accept"}
    kept = not_modified(headers).headers
    assert (kept["Last-Modified"], kept["Vary"]) == (headers["Last-Modified"], "Accept")


def test_embed_pages_may_be_framed_by_any_site(client):
    headers = client.get("/embed/chips/nvidia-h20").headers
    assert "X-Frame-Options" not in headers
    assert "frame-ancestors *" in headers["Content-Security-Policy"]


def test_docs_page_runs_its_inline_script_by_hash_not_unsafe_inline(client):
    response = client.get("/docs")
    script = re.search(rb"<script>(.*?)</script>", response.get_data(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert f"'sha256-{digest}'" in script_src and "unsafe-inline" not in script_src


def test_reads_are_open_to_any_origin_and_expose_the_validators(client):
    headers = client.get("/chips/nvidia-h20", headers=ORIGIN).headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "Last-Modified", "X-Request-Id"} <= exposed


def test_configured_origins_are_echoed_with_vary_origin(db_path):
    client = app_with(db_path, CORS_ORIGINS="https://wiki.example.org").test_client()
    allowed = client.get("/chips", headers=ORIGIN)
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN["Origin"]
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/chips", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_preflight_for_a_read_is_granted(client):
    response = client.options(
        "/chips/nvidia-h20",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_preflight_for_a_read_grants_every_precondition_a_read_honours(client):
    asked = "If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since"
    response = client.options(
        "/chips/nvidia-h20",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": asked,
        },
    )
    allowed = {h.strip() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {h.strip() for h in asked.split(",")} <= allowed


def test_preflight_for_a_write_is_not_granted(client):
    response = client.options(
        "/chips/nvidia-h20", headers={**ORIGIN, "Access-Control-Request-Method": "PUT"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_write_answers_carry_no_cors_grant(client, editor):
    response = client.delete("/chips/nvidia-a100", headers={**editor, **ORIGIN, "If-Match": "*"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/chips/nvidia-h20", "no-cache"),
        ("/chips", "no-cache"),
        ("/chips/nvidia-h20/versions/1", "public, max-age=31536000, immutable"),
        ("/chips/no-such-chip", "no-store"),
        ("/chips/nvidia-h20/versions/99", "no-store"),
    ],
)
def test_cache_control_follows_how_long_an_answer_stays_true(client, path, expected):
    assert client.get(path).headers["Cache-Control"] == expected


def test_the_html_page_of_a_version_is_revalidated_as_it_names_the_latest(client):
    response = client.get("/chips/nvidia-h20/versions/1", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"


def test_writes_are_never_cached(client, editor):
    response = client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": "*"})
    assert response.headers["Cache-Control"] == "no-store"


def test_rate_limit_parses_counts_and_periods():
    assert limits.parse("60/minute") == (60, 60.0)
    assert limits.parse("5/10seconds") == (5, 10.0)
    assert limits.parse("off") is None


@pytest.mark.parametrize("spec", ["60", "0/minute", "ten/minute", "5/fortnight"])
def test_a_malformed_rate_limit_stops_the_app_at_start(db_path, spec):
    with pytest.raises(ValueError, match="WRITE_RATE_LIMIT"):
        app_with(db_path, WRITE_RATE_LIMIT=spec)


class Clock:
    """Time that moves only when told, so window tests neither sleep nor race."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(limits, "clock", fake)
    return fake


def write(client, headers):
    """A write that passes auth and is then refused for its empty body: it still counts."""
    return client.post("/chips", json={}, headers=headers)


def test_writes_over_the_limit_are_429_with_retry_after_until_the_window_ends(
    db_path, editor, clock
):
    client = app_with(db_path, WRITE_RATE_LIMIT="2/minute").test_client()
    assert [write(client, editor).status_code for _ in range(2)] == [422, 422]
    clock.now += 15
    refused = write(client, editor)
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert refused.headers["Retry-After"] == "45"
    clock.now += 45
    assert write(client, editor).status_code == 422


def test_the_write_count_is_shared_by_every_worker_on_the_database(db_path, editor, clock):
    first, second = (app_with(db_path, WRITE_RATE_LIMIT="2/minute").test_client() for _ in range(2))
    write(first, editor)
    write(first, editor)
    assert write(second, editor).status_code == 429


def test_the_limit_counts_each_token_apart(db_path, editor, admin, clock):
    client = app_with(db_path, WRITE_RATE_LIMIT="1/minute").test_client()
    write(client, editor)
    assert write(client, editor).status_code == 429
    assert write(client, admin).status_code == 422


def test_creating_releases_is_rate_limited_too(db_path, admin, clock):
    client = app_with(db_path, WRITE_RATE_LIMIT="1/minute").test_client()
    post = lambda name: client.post(  # noqa: E731
        "/releases", json={"name": name, "description": "d"}, headers=admin
    )
    assert post("r1").status_code == 201
    assert post("r2").status_code == 429


def test_no_token_appears_in_the_logs(db_path, editor, caplog):
    app = app_with(db_path)

    @app.route("/boom")
    def boom():
        raise RuntimeError("failure while a token was presented")

    client = app.test_client()
    token = editor["Authorization"].removeprefix("Bearer ")
    with caplog.at_level(logging.DEBUG):
        assert (
            client.delete("/chips/nvidia-a100", headers={**editor, "If-Match": "*"}).status_code
            == 200
        )
        assert client.get("/boom", headers=editor).status_code == 500
        client.delete("/chips/nvidia-h20", headers={"Authorization": "Bearer fr_wrong"})
    assert caplog.records  # the failure above was logged...
    assert token not in caplog.text and "fr_wrong" not in caplog.text  # ...without a secret
