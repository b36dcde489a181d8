"""The change feed pages one way in JSON and Atom: `since` and `limit` mean the same in both,
and both carry paging links (Link headers; in Atom also RFC 5005 paged-feed links)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from tests.conftest import all_changes

ATOM = "{http://www.w3.org/2005/Atom}"
ENTRY_ID = re.compile(r"^tag:framings,2025:(\w+)/([^/]+)/v(\d+)$")


def seq_by_version(client):
    return {(c["kind"], c["id"], c["version"]): c["seq"] for c in all_changes(client)}


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return response, ET.fromstring(response.data)


def atom_seqs(client, feed):
    seqs = seq_by_version(client)
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        kind, id_, version = ENTRY_ID.match(entry.findtext(f"{ATOM}id")).groups()
        found.append(seqs[(kind, id_, int(version))])
    return found


def atom_links(feed):
    return {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}


def _links(response):
    """The Link header by relation."""
    links = {}
    for part in response.headers["Link"].split(", "):
        url, rel = re.fullmatch(r'<([^>]*)>; rel="([^"]+)"', part).groups()
        links[rel] = url
    return links


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("since, limit", [(0, 5), (0, 50), (7, 3), (20, 1), (30, 200)])
def test_since_and_limit_select_the_same_changes_in_json_and_atom(client, since, limit):
    page = client.get(f"/changes?since={since}&limit={limit}").get_json()
    _, feed = atom(client, f"/changes.atom?since={since}&limit={limit}")
    json_seqs = [item["seq"] for item in page["items"]]
    assert json_seqs == sorted(json_seqs) and all(seq > since for seq in json_seqs)
    assert len(json_seqs) == min(limit, len(all_changes(client)) - since)
    assert atom_seqs(client, feed) == json_seqs[::-1]  # the same page, newest first


def test_atom_without_since_is_the_last_page_the_newest_changes(client):
    latest = client.get("/health").get_json()["seq"]
    _, feed = atom(client, "/changes.atom?limit=10")
    assert atom_seqs(client, feed) == list(range(latest, latest - 10, -1))
    links = atom_links(feed)
    assert local(links["last"]) == "/changes.atom?limit=10"
    assert "next" not in links
    assert local(links["previous"]) == f"/changes.atom?limit=10&since={latest - 20}"
    assert local(links["first"]) == "/changes.atom?limit=10&since=0"


def test_atom_pages_back_from_the_subscription_document_per_rfc_5005(client):
    response, feed = atom(client, "/changes.atom?limit=7")
    seqs, pages = atom_seqs(client, feed), 1
    while "previous" in atom_links(feed):
        assert _links(response)["prev"] == local(atom_links(feed)["previous"])
        response, feed = atom(client, local(atom_links(feed)["previous"]))
        seqs += atom_seqs(client, feed)
        pages += 1
    # Back to the start, every change once: the page before the first full one is shorter.
    assert sorted(seqs) == [c["seq"] for c in all_changes(client)]
    assert pages == -(-len(seqs) // 7)


def test_atom_pages_forward_from_first_to_last_without_gaps_or_repeats(client):
    _, feed = atom(client, "/changes.atom?limit=7")
    url, seqs = local(atom_links(feed)["first"]), []
    while url:
        response, feed = atom(client, url)
        page = atom_seqs(client, feed)
        assert len(page) <= 7
        seqs += page[::-1]
        links = atom_links(feed)
        assert _links(response).get("next") == (local(links["next"]) if "next" in links else None)
        url = local(links["next"]) if "next" in links else None
    assert seqs == [c["seq"] for c in all_changes(client)]


def test_json_changes_link_first_prev_next_and_last(client):
    latest = client.get("/health").get_json()["seq"]
    response = client.get("/changes?since=10&limit=5")
    links = _links(response)
    assert links == {
        "first": "/changes?limit=5&since=0",
        "prev": "/changes?limit=5&since=5",
        "next": "/changes?limit=5&since=15",
        "last": f"/changes?limit=5&since={latest - 5}",
    }
    assert response.get_json()["next"] == links["next"]
    first = _links(client.get("/changes?limit=5"))
    assert "prev" not in first and first["next"] == "/changes?limit=5&since=5"
    last = client.get(links["last"])
    assert "next" not in _links(last) and last.get_json()["next"] is None


def test_json_and_atom_default_to_the_same_limit(client):
    page = client.get("/changes?since=0").get_json()
    _, feed = atom(client, "/changes.atom?since=0")
    assert len(page["items"]) == len(feed.findall(f"{ATOM}entry")) == 50


def test_atom_alternate_link_is_the_same_page_in_json(client):
    _, feed = atom(client, "/changes.atom?since=12&limit=4")
    alternate = feed.find(f"{ATOM}link[@rel='alternate'][@type='application/json']")
    page = client.get(local(alternate.get("href"))).get_json()
    assert [item["seq"] for item in page["items"]] == [13, 14, 15, 16]
