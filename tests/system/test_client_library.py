"""The Python client (service.client) against a live server and a scripted one."""

import socket

import pytest

from service.client import FramingsClient, FramingsError, FramingsUnavailable
from tests.conftest import free_port
from tests.system.client_support import (
    FRAMINGS,
    H20,
    VEU,
)

pytestmark = pytest.mark.slow  # a live server


def test_client_get_returns_the_latest_version_of_a_resource(api):
    latest = api.get("assumptions", "a3")
    assert (latest["kind"], latest["id"]) == ("assumptions", "a3") and latest["version"] > 1


def test_client_get_with_version_returns_that_version(api):
    assert api.get("assumptions", "a3", version=1)["version"] == 1


def test_client_get_passes_query_arguments_such_as_as_of(api):
    assert api.get("assumptions", "a3", as_of="2025-07-21")["version"] == 1


def test_client_get_without_id_returns_one_page_of_the_list(api):
    page = api.get("chips", limit=2)
    assert len(page["items"]) == 2 and page["next"]


def test_client_get_with_format_md_returns_markdown_text(api):
    text = api.get("assumptions", "a3", fmt="md")
    assert isinstance(text, str) and text.startswith("#")


def test_client_list_follows_next_across_pages(api):
    everything = [item["id"] for item in api.get("chips", limit=200)["items"]]
    assert len(everything) > 2
    assert [item["id"] for item in api.list("chips", limit=2)] == everything


def test_client_list_applies_filters(api):
    pending = list(api.list("watchlist", status="pending"))
    assert pending and all(item["body"]["status"] == "pending" for item in pending)


def test_client_score_answers_for_each_framing(api):
    answer = api.score(H20)
    assert set(answer["framings"]) == FRAMINGS and answer["model"]


def test_client_score_with_format_md_returns_markdown_text(api):
    text = api.score(H20, fmt="md")
    assert isinstance(text, str) and "sliding-scale" in text


def test_client_score_batch_answers_each_control_by_key(api):
    results = api.score_batch({"h20": H20, "veu": VEU})["results"]
    assert set(results) == {"h20", "veu"}
    assert all(set(result["framings"]) == FRAMINGS for result in results.values())


def test_client_score_batch_gives_a_bad_control_its_own_problem(api):
    results = api.score_batch({"h20": H20, "bad": {"name": "x"}})["results"]
    assert results["bad"]["status"] == 422 and "framings" in results["h20"]


def test_client_diff_returns_the_patch_from_m_to_n(api):
    diff = api.diff("assumptions", "a3", 2, 1)
    assert (diff["from"], diff["to"]) == (1, 2)
    assert any(op["path"] == "/assessment/credence" for op in diff["patch"])


def test_client_changes_follows_pages_without_gaps(api):
    seqs = [change["seq"] for change in api.changes(0, limit=10)]
    assert len(seqs) > 10 and seqs == list(range(1, api.health()["seq"] + 1))


def test_client_changes_since_starts_after_that_seq(api):
    assert next(api.changes(since=5))["seq"] == 6


def test_client_health_reports_ok(api):
    assert api.health()["status"] == "ok"


def test_client_raises_framings_error_with_the_problem_on_404(api):
    with pytest.raises(FramingsError) as raised:
        api.get("chips", "no-such-chip")
    assert (raised.value.status, raised.value.title) == (404, "Not Found")
    assert "no-such-chip" in raised.value.detail and "404 Not Found" in str(raised.value)


def test_client_raises_framings_error_with_field_errors_on_422(api):
    with pytest.raises(FramingsError) as raised:
        api.score({"name": "x", "direction": "sideways"})
    assert raised.value.status == 422
    assert {"direction", "instrument"} <= set(raised.value.errors)
    assert any(line.startswith("direction: ") for line in raised.value.field_lines())


def test_client_retries_a_503_until_it_gets_an_answer(scripted):
    server = scripted(503, 503, 200)
    client = FramingsClient(server.url, timeout=5, retries=3, backoff=0)
    assert client.health() == {"status": "ok"} and server.methods == ["GET"] * 3


def test_client_retries_a_score_post_on_503(scripted):
    server = scripted(503, 200)
    FramingsClient(server.url, timeout=5, retries=3, backoff=0).score(H20)
    assert server.methods == ["POST", "POST"]


def test_client_raises_the_last_5xx_when_the_retries_run_out(scripted):
    server = scripted(503)
    with pytest.raises(FramingsError) as raised:
        FramingsClient(server.url, timeout=5, retries=2, backoff=0).health()
    assert raised.value.status == 503 and len(server.methods) == 3


def test_client_raises_unavailable_when_nothing_listens():
    client = FramingsClient(f"http://127.0.0.1:{free_port()}", timeout=2, retries=1, backoff=0)
    with pytest.raises(FramingsUnavailable, match="Connection refused"):
        client.health()


def test_client_raises_unavailable_when_the_server_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections queue up but are never served
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(FramingsUnavailable, match="timed out"):
            FramingsClient(url, timeout=0.2, retries=1, backoff=0).health()


def test_client_takes_its_base_url_from_framings_url(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9/")
    assert FramingsClient().base_url == "http://example.test:9"


def test_client_prefers_an_explicit_url_to_framings_url(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9")
    assert FramingsClient("http://other.test").base_url == "http://other.test"
