"""The publisher's pure parts: its state's JSON, the lock rule, page titles and charts, and the
command's refusals before it touches a wiki (the runs themselves: tests/system/test_publish.py)."""

import os
import socket
import subprocess
import sys
import time

import pytest

from service.client.cli import main
from service.publish.pages import list_pages, resource_pages, with_chart
from service.publish.state import State, lock_is_live
from service.publish.wiki import site_of


def test_the_state_survives_its_json_and_ignores_unknown_fields():
    state = State(api="http://x", seq=7, pages={"P": {"revision": 3, "etag": '"e"'}})
    again = State.parse(state.dumps().replace('"seq"', '"future": 1, "seq"', 1))
    assert again == state and State.parse(None) == State()


def test_a_lock_is_live_only_for_another_run_before_it_expires():
    later = time.time() + 60
    assert lock_is_live({"run": "a", "host": "elsewhere", "pid": 1, "until": later}, "b")
    assert not lock_is_live({"run": "a", "host": "elsewhere", "pid": 1, "until": later}, "a")
    assert not lock_is_live({"run": "a", "host": "x", "pid": 1, "until": time.time() - 1}, "b")
    assert not lock_is_live(None, "b")


def test_a_lock_of_a_process_gone_from_this_machine_is_stale():
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = {
        "run": "a",
        "host": socket.gethostname(),
        "pid": int(done.stdout),
        "until": time.time() + 60,
    }
    assert not lock_is_live(lock, "b")
    assert lock_is_live({**lock, "pid": os.getpid()}, "b")


def test_an_item_has_its_page_a_watch_item_its_score_and_a_withdrawn_one_no_score():
    seen = {"version": 3, "deleted": False, "note": "n"}
    titles = [p.title for p in resource_pages("watchlist/uae-ai-annex", seen)]
    assert titles == ["Framings/watchlist/uae-ai-annex", "Framings/watchlist/uae-ai-annex/score"]
    gone = resource_pages("watchlist/uae-ai-annex", {**seen, "deleted": True})
    assert [p.source for p in gone] == ["/watchlist/uae-ai-annex/versions/3?format=wiki"]
    assert [p.title for p in list_pages()] == [
        "Framings/framings",
        "Framings/assumptions",
        "Framings/watchlist",
    ]


def test_the_chart_goes_before_the_references():
    text = with_chart("lead\n\n== References ==\n<references />\n", "Framings credence a1.svg")
    assert text.index("[[File:Framings credence a1.svg") < text.index("== References ==")


def test_the_wiki_must_be_named_by_its_api_php():
    with pytest.raises(ValueError):
        site_of("https://wiki.example/wiki/Main_Page")


def test_publish_without_the_bots_login_is_refused(monkeypatch, capsys):
    monkeypatch.delenv("FRAMINGS_WIKI_USER", raising=False)
    monkeypatch.delenv("FRAMINGS_WIKI_PASSWORD", raising=False)
    assert main(["publish", "--wiki", "http://127.0.0.1:9/api.php"]) == 1
    assert "FRAMINGS_WIKI_USER" in capsys.readouterr().err
