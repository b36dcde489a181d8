"""The change feed: /changes (JSON, oldest first) and /changes.atom (Atom 1.0, newest first).
How the two page alike is in test_feed_paging.py."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from service.fixtures import read_histories
from tests.conftest import FIXTURES, all_changes, append_version

HISTORIES = read_histories(FIXTURES)
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def body_of(client, kind, id_, number):
    return client.get(f"/{kind}/{id_}/versions/{number}").get_json()["body"]


def write(db, kind, id_, body, note="A test change", author="tester"):
    return append_version(db, kind, id_, body, note=note, author=author)


def atom_feed(client, query=""):
    response = client.get(f"/changes.atom{query}")
    assert response.status_code == 200
    return ET.fromstring(response.data)


# --- /changes ------------------------------------------------------------------------------


def test_changes_are_oldest_first_and_seq_is_gap_free_up_to_health_seq(client):
    items = all_changes(client)
    latest = client.get("/health").get_json()["seq"]
    assert [item["seq"] for item in items] == list(range(1, latest + 1))
    assert [item["recorded_at"] for item in items] == sorted(i["recorded_at"] for i in items)


def test_changes_cover_every_fixture_version_once(client):
    seen = sorted((i["kind"], i["id"], i["version"]) for i in all_changes(client))
    expected = sorted((h["kind"], h["id"], v["version"]) for h in HISTORIES for v in h["versions"])
    assert seen == expected


def test_change_item_has_metadata_and_permanent_link(client):
    item = all_changes(client)[0]
    assert set(item) == {
        "seq",
        "kind",
        "id",
        "version",
        "recorded_at",
        "author",
        "change_note",
        "deleted",
        "links",
    }
    assert "body" not in item
    version = client.get(item["links"]["self"]).get_json()
    assert (version["seq"], version["change_note"], version["author"]) == (
        item["seq"],
        item["change_note"],
        item["author"],
    )


def test_changes_paging_follows_next_to_the_end_without_gaps_or_repeats(client):
    url, seqs, pages = "/changes?limit=7", [], 0
    while url:
        response = client.get(url)
        page = response.get_json()
        assert len(page["items"]) <= 7
        links = response.headers["Link"]
        assert '; rel="first"' in links and '; rel="last"' in links
        if page["next"]:
            assert f'<{page["next"]}>; rel="next"' in links
        else:
            assert 'rel="next"' not in links
        seqs += [item["seq"] for item in page["items"]]
        url, pages = page["next"], pages + 1
    latest = client.get("/health").get_json()["seq"]
    assert seqs == list(range(1, latest + 1)) and pages == -(-latest // 7)


def test_changes_next_is_since_of_the_last_item_keeping_other_arguments(client):
    page = client.get("/changes?limit=5&since=10").get_json()
    assert page["items"][-1]["seq"] == 15
    assert page["next"] == "/changes?limit=5&since=15"


def test_changes_since_filters_to_later_seqs(client):
    items = client.get("/changes?since=20").get_json()["items"]
    assert items[0]["seq"] == 21 and all(item["seq"] > 20 for item in items)


def test_changes_since_the_latest_seq_is_empty_with_no_next(client):
    latest = client.get("/health").get_json()["seq"]
    page = client.get(f"/changes?since={latest}").get_json()
    assert page == {"items": [], "next": None}


def test_changes_show_a_new_write_last_with_its_note_and_author(client, db):
    version = write(
        db,
        "assumptions",
        "a3",
        body_of(client, "assumptions", "a3", 1),
        note="Reverted to the seed reading",
        author="editor-7",
    )
    items = client.get(f"/changes?since={version.seq - 1}").get_json()["items"]
    assert [(i["seq"], i["id"], i["version"], i["change_note"], i["author"]) for i in items] == [
        (version.seq, "a3", version.version, "Reverted to the seed reading", "editor-7")
    ]


def test_changes_mark_tombstones_as_deleted(client, db):
    tombstone = write(db, "chips", "nvidia-a100", None, note="Withdrawn")
    item = client.get(f"/changes?since={tombstone.seq - 1}").get_json()["items"][0]
    assert item["deleted"] is True and item["links"]["self"] == (
        f"/chips/nvidia-a100/versions/{tombstone.version}"
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("since=-1", "query.since"),
        ("since=abc", "query.since"),
        ("limit=0", "query.limit"),
        ("limit=201", "query.limit"),
        ("cursor=x", "query.cursor"),
    ],
)
def test_changes_with_bad_query_is_422_naming_the_argument(client, query, field):
    response = client.get(f"/changes?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


# --- /changes.atom -------------------------------------------------------------------------


def test_atom_is_served_as_application_atom_xml(client):
    response = client.get("/changes.atom")
    assert response.mimetype == "application/atom+xml"
    assert response.data.startswith(b"<?xml")


def test_atom_has_one_entry_per_version_with_note_author_and_permanent_link(client):
    feed = atom_feed(client, "?limit=200")
    entries = feed.findall(f"{ATOM}entry")
    changes = all_changes(client)[-200:]  # the last page: the newest 200
    assert len(entries) == len(changes)
    for entry, change in zip(entries, reversed(changes), strict=True):
        assert entry.findtext(f"{ATOM}summary") == change["change_note"]
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == change["author"]
        assert entry.findtext(f"{ATOM}updated") == change["recorded_at"]
        assert entry.findtext(f"{ATOM}title").startswith(
            f"{change['kind']}/{change['id']} v{change['version']}"
        )
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert href == f"http://localhost{change['links']['self']}"
        assert client.get(urlsplit(href).path).get_json()["seq"] == change["seq"]


def test_atom_entry_ids_are_stable_tag_uris(client):
    feed = atom_feed(client, "?since=0&limit=200")
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)
    assert "tag:framings,2025:assumptions/a1/v1" in ids
    again = atom_feed(client, "?since=0&limit=200").findall(f"{ATOM}entry")
    assert ids == [e.findtext(f"{ATOM}id") for e in again]


def test_atom_validates_structurally_against_rfc_4287(client):
    feed = atom_feed(client)
    assert feed.tag == f"{ATOM}feed"
    # atom:feed: exactly one id, title and updated; an author (or one in every entry); self link
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert urlsplit(feed.findtext(f"{ATOM}id")).scheme
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    self_links = feed.findall(f"{ATOM}link[@rel='self']")
    assert len(self_links) == 1 and self_links[0].get("href") == "http://localhost/changes.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert urlsplit(entry.findtext(f"{ATOM}id")).scheme == "tag"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        # without atom:content an entry needs an alternate link (4.1.1) and a summary (4.1.2)
        alternates = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert len(alternates) == 1 and urlsplit(alternates[0].get("href")).scheme == "http"
        assert entry.find(f"{ATOM}summary") is not None
    # atom:updated of the feed is the most recent instant in it
    assert feed.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries)


def test_atom_holds_the_fifty_most_recent_versions_newest_first(client):
    seqs = [item["seq"] for item in all_changes(client)]
    entries = atom_feed(client).findall(f"{ATOM}entry")
    expected = [f"{c['kind']}/{c['id']} v{c['version']}" for c in all_changes(client)][::-1][:50]
    assert len(seqs) > 50
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == expected


def test_atom_honours_since(client):
    latest = client.get("/health").get_json()["seq"]
    entries = atom_feed(client, f"?since={latest - 3}").findall(f"{ATOM}entry")
    assert len(entries) == 3


def test_atom_with_nothing_new_is_still_a_valid_feed(client):
    latest = client.get("/health").get_json()["seq"]
    feed = atom_feed(client, f"?since={latest}")
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}id") and RFC3339.match(feed.findtext(f"{ATOM}updated"))


def test_atom_escapes_markup_and_drops_characters_xml_forbids(client, db):
    note = 'Fixed <b>bold</b> & "quoted" ]]> text\x00\x1b'
    write(
        db,
        "assumptions",
        "a5",
        body_of(client, "assumptions", "a5", 1),
        note=note,
        author="O'Brien <ob@example.org>",
    )
    entry = atom_feed(client).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == 'Fixed <b>bold</b> & "quoted" ]]> text'
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "O'Brien <ob@example.org>"


def test_atom_with_negative_since_is_422_naming_query_since(client):
    response = client.get("/changes.atom?since=-5")
    assert response.status_code == 422 and "query.since" in response.get_json()["errors"]
