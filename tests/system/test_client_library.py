"""The Python client (clients/python, framings_client): its reads and scores against a live
server, its retries and errors against a scripted one."""

import itertools
import socket

import pytest
from framings_client import (
    Client,
    FramingsError,
    Gone,
    NotFound,
    ServerError,
    Text,
    Unavailable,
    ValidationFailed,
    failed,
)

from tests.conftest import free_port
from tests.system.client_support import FRAMINGS, H20, VEU

pytestmark = pytest.mark.slow  # a live server


def test_get_returns_the_latest_version_with_its_etag(api):
    latest = api.get("assumptions", "a3")
    assert (latest.kind, latest.id) == ("assumptions", "a3") and latest.version > 1
    assert latest.etag == f'"{latest.version}"' and latest.last_modified


def test_get_with_version_returns_that_version(api):
    assert api.get("assumptions", "a3", version=1).version == 1


def test_get_as_of_a_date_returns_the_version_then(api):
    assert api.get("assumptions", "a3", as_of="2025-07-21").version == 1


def test_get_with_format_md_returns_text_with_its_own_etag(api):
    text = api.get("assumptions", "a3", format="md")
    assert isinstance(text, Text) and text.startswith("#")
    assert text.content_type == "text/markdown" and text.etag.startswith('"md-')


def test_list_follows_next_across_pages(api):
    everything = [item.id for item in api.list("chips", limit=200)]
    assert len(everything) > 2
    assert [item.id for item in api.list("chips", limit=2)] == everything


def test_list_applies_filters_with_repeated_values(api):
    chosen = list(api.list("assumptions", status=["weakening", "holding"]))
    assert chosen and {a.body["assessment"]["status"] for a in chosen} <= {"weakening", "holding"}


def test_history_lists_every_version_oldest_first(api):
    versions = [v.version for v in api.history("assumptions", "a3", limit=1)]
    assert versions == list(range(1, api.get("assumptions", "a3").version + 1))


def test_diff_returns_the_patch_with_old_values(api):
    diff = api.diff("assumptions", "a4", 2, 1)  # a4's credence fell from 0.3 to 0.2
    assert (diff["from"], diff["to"]) == (1, 2)
    assert any(op["path"] == "/assessment/credence" and "old" in op for op in diff["patch"])


def test_read_gives_any_path_as_json_or_text(api):
    assert api.read("/changes.atom").content_type == "application/atom+xml"
    assert api.read("/controls", format="csv").startswith("kind,id,")


def test_score_answers_for_each_framing(api):
    answer = api.score(H20)
    assert set(answer["framings"]) == FRAMINGS and answer["input_hash"]


def test_score_as_of_names_the_model_versions_then(api):
    then, now = api.score(H20, as_of="2025-07-21"), api.score(H20)
    assert then["model"] != now["model"]


def test_score_stored_names_the_version_scored(api):
    answer = api.score_stored("veu-revocation-china-fabs")
    assert answer["source"]["kind"] == "controls" and set(answer["framings"]) == FRAMINGS


def test_batch_gives_a_bad_control_its_own_problem(api):
    batch = api.batch({"h20": H20, "veu": VEU, "bad": {"name": "x"}})
    assert set(failed(batch)) == {"bad"} and failed(batch)["bad"]["status"] == 422
    assert set(batch["results"]["veu"]["framings"]) == FRAMINGS


def test_compare_ranks_the_controls_per_framing(api):
    answer = api.compare([H20, VEU])
    assert len(answer["results"]) == 2 and set(answer["rankings"]) == FRAMINGS


def test_review_lists_items_due_oldest_first(api):
    due = api.review(as_of="2026-06-01")
    days = [item["days_since_review"] for item in due["items"]]
    assert days and days == sorted(days, reverse=True)


def test_trajectory_and_credence_answer_json(api):
    assert api.trajectory() and api.credence("a4")


def test_changes_follow_pages_without_gaps(api):
    seqs = [change.seq for change in api.changes(0, limit=10)]
    assert len(seqs) > 10 and seqs == list(range(1, api.health()["seq"] + 1))


def test_changes_since_starts_after_that_seq(api):
    assert next(api.changes(since=5)).seq == 6


def test_changes_stop_at_the_end_of_the_feed_unless_following(api):
    last = api.health()["seq"]
    assert list(api.changes(since=last)) == []
    following = api.changes(since=last - 1, follow=True, interval=0.01)
    assert [c.seq for c in itertools.islice(following, 1)] == [last]


def test_a_404_raises_not_found_with_the_problem(api):
    with pytest.raises(NotFound) as raised:
        api.get("chips", "no-such-chip")
    assert (raised.value.status, raised.value.title) == (404, "Not Found")
    assert "no-such-chip" in raised.value.detail and "404 Not Found" in str(raised.value)


def test_a_422_raises_validation_failed_with_field_errors(api):
    with pytest.raises(ValidationFailed) as raised:
        api.score({"name": "x", "direction": "sideways"})
    assert raised.value.status == 422 and raised.value.type.endswith("/problems/validation")
    assert {"direction", "instrument"} <= set(raised.value.errors)
    assert any(line.startswith("direction: ") for line in raised.value.field_lines())


def test_a_read_retries_a_503_until_it_gets_an_answer(scripted):
    server = scripted(503, 503, 200)
    client = Client(server.url, timeout=5, retries=3, backoff=0)
    assert client.health() == {"status": "ok"} and server.methods == ["GET"] * 3


def test_a_read_retries_a_429(scripted):
    server = scripted(429, 200)
    Client(server.url, timeout=5, retries=3, backoff=0).health()
    assert server.methods == ["GET", "GET"]


def test_a_score_is_retried_since_it_writes_nothing(scripted):
    server = scripted(503, 200)
    Client(server.url, timeout=5, retries=3, backoff=0).score(H20)
    assert server.methods == ["POST", "POST"]


def test_a_patch_is_sent_once_even_on_a_503(scripted):
    server = scripted(503)
    with pytest.raises(ServerError):
        Client(server.url, timeout=5, retries=3, backoff=0).patch(
            "chips", "x", {"name": "y"}, "note", etag='"1"'
        )
    assert server.methods == ["PATCH"]


def test_the_last_5xx_is_raised_when_the_retries_run_out(scripted):
    server = scripted(503)
    with pytest.raises(ServerError) as raised:
        Client(server.url, timeout=5, retries=2, backoff=0).health()
    assert raised.value.status == 503 and len(server.methods) == 3


def test_unavailable_when_nothing_listens():
    client = Client(f"http://127.0.0.1:{free_port()}", timeout=2, retries=1, backoff=0)
    with pytest.raises(Unavailable, match="Connection refused") as raised:
        client.health()
    assert raised.value.status is None and isinstance(raised.value, FramingsError)


def test_unavailable_when_the_server_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections queue up but are never served
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(Unavailable, match="timed out"):
            Client(url, timeout=0.2, retries=1, backoff=0).health()


def test_the_url_and_token_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9/")
    monkeypatch.setenv("FRAMINGS_TOKEN", "fr_x")
    client = Client()
    assert client.url == "http://example.test:9" and client.transport.token == "fr_x"


def test_an_explicit_url_wins_over_framings_url(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9")
    assert Client("http://other.test").url == "http://other.test"


def test_gone_is_a_framings_error():
    assert issubclass(Gone, FramingsError)
