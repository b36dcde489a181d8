"""`framings publish` against a real MediaWiki (Debian's 1.39, SQLite, `php -S`) and a live
gunicorn: publish from nothing, again (no edits), after a PATCH (only its pages), with a
person's edit (held, never overwritten, adopted back), two publishers at once, a run killed
half-way, a withdrawn item, and injection strings rendered as text by the wiki's own parser."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import mwclient
import pytest
import requests

from service import store
from tests.conftest import Server, free_port, make_token
from tests.system import mediawiki
from tests.system.mediawiki import MediaWiki
from tests.system.test_browser import browser  # noqa: F401 (a fixture, found by name)

pytestmark = pytest.mark.slow
FRAMINGS = Path(sys.executable).parent / "framings"
SYSTEM_DEPS = Path(__file__).resolve().parents[1] / "system-deps.sh"


def ensure_mediawiki() -> None:
    if not mediawiki.available():
        subprocess.run(["bash", str(SYSTEM_DEPS)], check=False, timeout=900)
    if not mediawiki.available():
        pytest.skip("MediaWiki (Debian's mediawiki, php8.2-cgi, php-sqlite3) is not installed")


@pytest.fixture(scope="module")
def wiki(tmp_path_factory):
    ensure_mediawiki()
    site = MediaWiki(tmp_path_factory.mktemp("mediawiki"), free_port())
    site.install()
    site.bot_login = site.add_bot()
    site.person_login = site.add_person()
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A live API on a fresh database, and an editor's token for it."""
    path = tmp_path_factory.mktemp("model") / "framings.db"
    server = Server(path)
    db = store.open_db(str(path))
    server.token = make_token(db, "wiki-tests", "editor")
    db.conn.close()
    yield server
    server.stop()


def publish(wiki, model, *extra, env=None, wait=True):
    user, password = wiki.bot_login
    environment = {
        **os.environ,
        "FRAMINGS_WIKI_USER": user,
        "FRAMINGS_WIKI_PASSWORD": password,
        **(env or {}),
    }
    command = [str(FRAMINGS), "publish", "--wiki", wiki.api, "--url", model.url, *extra]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if not wait:
        return process
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0, out
    return out


def query(wiki, **params):
    params = {"format": "json", "formatversion": 2, **params}
    return requests.get(wiki.api, params=params, timeout=30).json()


def bot_edits(wiki, after: int = 0) -> list[dict]:
    """The bot's edits and creations (not its state page) with a change id above `after`."""
    answer = query(
        wiki,
        action="query",
        list="recentchanges",
        rcuser=mediawiki.BOT,
        rcprop="title|ids",
        rclimit=500,
        rctype="edit|new",
    )
    changes = answer["query"]["recentchanges"]
    return [c for c in changes if c["rcid"] > after and not c["title"].startswith("User:")]


def last_rcid(wiki) -> int:
    answer = query(wiki, action="query", list="recentchanges", rcprop="ids", rclimit=1)
    changes = answer["query"]["recentchanges"]
    return changes[0]["rcid"] if changes else 0


def page_text(wiki, title: str) -> str:
    answer = query(
        wiki, action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
    )
    return answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def state(wiki) -> dict:
    return json.loads(page_text(wiki, f"User:{mediawiki.BOT}/framings.json"))


def api_patch(model, path: str, patch: dict) -> None:
    current = requests.get(model.url + path, timeout=30)
    answer = requests.patch(
        model.url + path,
        data=json.dumps(patch),
        headers={
            "Content-Type": "application/merge-patch+json",
            "If-Match": current.headers["ETag"],
            "Authorization": f"Bearer {model.token}",
            "X-Change-Note": "wiki publisher test",
        },
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def person_site(wiki) -> mwclient.Site:
    site = mwclient.Site(f"127.0.0.1:{wiki.port}", path="/", scheme="http")
    site.clientlogin(None, username=wiki.person_login[0], password=wiki.person_login[1])
    return site


@pytest.fixture(scope="module")
def published(wiki, model):
    """The wiki after the first run, from nothing; that run's output."""
    return publish(wiki, model)


def test_publishing_from_nothing_writes_a_page_per_item_lists_charts_and_its_state(
    wiki, model, published
):
    seq = requests.get(model.url + "/health", timeout=30).json()["seq"]
    saved = state(wiki)
    assert saved["seq"] == seq and saved["lock"] is None and saved["held"] == {}
    titles = {e["title"] for e in bot_edits(wiki)}
    for kind in ("framings", "assumptions", "watchlist"):
        items = requests.get(f"{model.url}/{kind}?limit=200", timeout=30).json()["items"]
        assert {f"Framings/{kind}/{item['id']}" for item in items} <= titles
        assert f"Framings/{kind}" in titles
    assert "Template:Framings infobox" in titles
    files = query(wiki, action="query", list="allimages", ailimit=50)["query"]["allimages"]
    assert {"Framings_trajectory.svg", "Framings_credence_a3.svg"} <= {f["name"] for f in files}
    assert "published changes 0→" in published and "0 held" in published


def test_a_second_run_edits_nothing(wiki, model, published):
    before = last_rcid(wiki)
    out = publish(wiki, model)
    assert bot_edits(wiki, before) == []
    assert "0 created, 0 edited, 0 uploaded" in out


def test_a_patch_through_the_api_changes_only_its_pages(wiki, model, published):
    publish(wiki, model)
    before = last_rcid(wiki)
    api_patch(model, "/watchlist/uae-ai-annex", {"description": "Rewritten by a test."})
    out = publish(wiki, model)
    # Its page, its score's page (which cites the version scored) and its kind's list (which
    # links to each item's version), and nothing else.
    assert sorted(e["title"] for e in bot_edits(wiki, before)) == [
        "Framings/watchlist",
        "Framings/watchlist/uae-ai-annex",
        "Framings/watchlist/uae-ai-annex/score",
    ]
    assert "Rewritten by a test." in page_text(wiki, "Framings/watchlist/uae-ai-annex"), out


def test_a_persons_edit_is_held_never_overwritten_until_adopted(wiki, model, published):
    title = "Framings/assumptions/a5"
    publish(wiki, model)
    page = person_site(wiki).pages[title]
    page.edit(page.text() + "\n\nA person's note.", summary="a person's edit")
    api_patch(model, "/assumptions/a5", {"reading": "Changed in the API after the edit."})
    out = publish(wiki, model)
    assert f"held {title}" in out and title in state(wiki)["held"]
    assert "A person's note." in page_text(wiki, title)
    again = publish(wiki, model)  # still held on the next run
    assert "A person's note." in page_text(wiki, title) and title in again
    adopted = publish(wiki, model, "--adopt", title)
    text = page_text(wiki, title)
    assert "A person's note." not in text and "Changed in the API after the edit." in text
    assert title not in state(wiki)["held"], adopted


def test_a_save_on_top_of_someone_elses_revision_is_never_a_clean_overwrite(wiki, published):
    from service.publish.wiki import Conflict, Wiki

    title = "Framings/watchlist/trump-xi-summit"
    bot = Wiki(wiki.api, *wiki.bot_login)
    base = bot.latest(title)
    page = person_site(wiki).pages[title]
    page.edit(page.text() + "\n\nA person's line at the end.", summary="a person's edit")
    try:
        saved = bot.save(title, "A bot's line.\n\n" + base.text, "test", base.id)
    except Conflict:
        return  # refused: an edit conflict
    assert saved.merged  # or merged, which the publisher holds


def test_two_publishers_at_once_write_each_page_once(wiki, model, published):
    publish(wiki, model)
    api_patch(model, "/framings/sliding-scale", {"summary": "Changed for two publishers."})
    before = last_rcid(wiki)
    first, second = publish(wiki, model, wait=False), publish(wiki, model, wait=False)
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    titles = [e["title"] for e in bot_edits(wiki, before)]
    assert titles.count("Framings/framings/sliding-scale") == 1, outputs
    assert state(wiki)["held"] == {} and state(wiki)["lock"] is None


def test_a_run_killed_half_way_is_finished_by_the_next_and_new_output_is_republished(
    wiki, model, published
):
    """A public URL set later changes every page's citation with no feed entry."""
    publish(wiki, model)
    env = {"FRAMINGS_PUBLIC_URL": "https://framings.example"}
    moved = Server(model.db_path, workers=1, env=env)
    try:
        run = publish(wiki, moved, wait=False)
        for line in run.stdout:
            if "edited" in line:
                break
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        out = publish(wiki, moved)
    finally:
        moved.stop()
    assert "0 held" in out
    assert "https://framings.example/assumptions/a1/versions/" in page_text(
        wiki, "Framings/assumptions/a1"
    )


def test_a_withdrawn_item_is_published_as_a_withdrawn_page(wiki, model, published):
    current = requests.get(model.url + "/watchlist/ck-hutchison-ports", timeout=30)
    answer = requests.delete(
        model.url + "/watchlist/ck-hutchison-ports",
        headers={
            "If-Match": current.headers["ETag"],
            "Authorization": f"Bearer {model.token}",
            "X-Change-Note": "withdrawn by a test",
        },
        timeout=30,
    )
    assert answer.status_code in (200, 204), answer.text
    publish(wiki, model)
    parsed = query(wiki, action="parse", page="Framings/watchlist/ck-hutchison-ports")
    categories = {c["category"] for c in parsed["parse"]["categories"]}
    assert "Framings_withdrawn" in categories
    assert "Withdrawn." in parsed["parse"]["text"]


INJECTED = (
    "{{Delete}} [[Category:Spam]] ~~~~ <ref>fake</ref> a | b ''x'' __NOTOC__ "
    "<script>alert(1)</script> [http://evil.example click] http://evil.example/free"
)


def test_injection_strings_in_content_render_as_text_on_the_wiki(wiki, model, published):
    api_patch(model, "/assumptions/a2", {"title": INJECTED, "statement": "== Not a heading =="})
    publish(wiki, model)
    parsed = query(
        wiki,
        action="parse",
        page="Framings/assumptions/a2",
        prop="text|categories|templates|externallinks|links|sections",
    )["parse"]
    assert {c["category"] for c in parsed["categories"]} <= {"Framings"}
    assert {t["title"] for t in parsed["templates"]} <= {
        "Template:Framings infobox",
        "Template:Framings citation",
        "Template:Framings link",
    }
    assert not any("evil.example" in link for link in parsed["externallinks"])
    assert parsed["links"] == [] and "Not a heading" not in json.dumps(parsed["sections"])
    assert "&lt;script&gt;" in parsed["text"] and "~~~~" not in page_text(
        wiki, "Framings/assumptions/a2"
    )


def artefacts() -> Path:
    """Where the suite keeps what a person may want to look at after a run."""
    folder = Path(os.environ.get("FRAMINGS_TEST_ARTEFACTS", Path(__file__).parents[2] / "var"))
    folder = folder / "artefacts" if "FRAMINGS_TEST_ARTEFACTS" not in os.environ else folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_published_assumption_page_renders_in_chromium(wiki, model, published, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    publish(wiki, model)
    browser.set_window_size(1280, 1400)
    browser.get(f"{wiki.server}/index.php?title=Framings/assumptions/a3")
    infobox = browser.find_element(By.CSS_SELECTOR, "table.framings-infobox")
    assert "Credence" in infobox.text and "Last reviewed" in infobox.text
    missing = browser.find_elements(By.CSS_SELECTOR, "#mw-content-text a.new")
    assert [a.get_attribute("title") for a in missing] == []  # no red links: templates, files
    chart = browser.find_element(By.CSS_SELECTOR, "#mw-content-text img[src*='credence']")
    assert browser.execute_script("return arguments[0].naturalWidth", chart) > 0
    shot = artefacts() / "wiki-assumption-a3.png"
    browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
