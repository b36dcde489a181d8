"""GET /oembed (oEmbed 1.0, JSON), the discovery links on embeddable pages, links in an embed
opening outside the frame, and the charts as PNG for wikis that hotlink only bitmaps."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.conftest import tombstone

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]


def oembed(client, url: str, **extra):
    return client.get("/oembed", query_string={"url": url, **extra})


def test_oembed_answers_a_rich_iframe_of_a_resources_embed_page(client):
    answer = oembed(client, "http://localhost/assumptions/a3", format="json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    data = answer.get_json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["provider_name"] == "Framings" and data["title"].startswith("A3.")
    (frame,) = Tags(data["html"]).all("iframe")
    assert frame["src"] == "http://localhost/embed/assumptions/a3"
    assert (int(frame["width"]), int(frame["height"])) == (data["width"], data["height"])
    assert "allow-popups" in frame["sandbox"]


def test_oembed_takes_an_embed_page_url_and_keeps_its_point_in_time(client):
    data = oembed(client, "http://localhost/embed/assumptions/a3?as_of=2025-08-01").get_json()
    (frame,) = Tags(data["html"]).all("iframe")
    assert frame["src"] == "http://localhost/embed/assumptions/a3?as_of=2025-08-01"
    assert client.get(urlsplit(frame["src"]).path + "?as_of=2025-08-01").status_code == 200


def test_oembed_keeps_within_the_consumers_maximum_size(client):
    data = oembed(client, "http://localhost/framings/sliding-scale", maxwidth=300, maxheight=90)
    assert data.get_json()["width"] <= 300 and data.get_json()["height"] <= 90


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example/assumptions/a3",
        "http://localhost/changes",
        "http://localhost/assumptions/no-such-thing",
        "http://localhost/nokind/a3",
        "javascript:alert(1)",
        "http://[::1/assumptions/a3",
        "http://localhost/assumptions/a3?release=no-such-release",
    ],
)
def test_oembed_is_a_404_for_what_it_cannot_embed(client, url):
    answer = oembed(client, url)
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"


def test_oembed_is_a_404_for_a_withdrawn_resource(client, db):
    tombstone(db, "watchlist", "uae-ai-annex")
    assert oembed(client, "http://localhost/watchlist/uae-ai-annex").status_code == 404


def test_oembed_is_a_501_for_a_format_other_than_json(client):
    answer = oembed(client, "http://localhost/assumptions/a3", format="xml")
    assert answer.status_code == 501 and answer.mimetype == "application/problem+json"


def test_oembed_without_a_url_names_the_missing_field(client):
    answer = client.get("/oembed")
    assert answer.status_code == 422 and "query.url" in answer.get_json()["errors"]


def test_oembed_answers_for_the_public_url_and_frames_it(client, monkeypatch):
    monkeypatch.setenv("FRAMINGS_PUBLIC_URL", "https://framings.example")
    data = oembed(client, "https://framings.example/watchlist/uae-ai-annex").get_json()
    (frame,) = Tags(data["html"]).all("iframe")
    assert frame["src"] == "https://framings.example/embed/watchlist/uae-ai-annex"


@pytest.mark.parametrize("page", ["/embed/assumptions/a3", "/assumptions/a3"])
def test_embeddable_pages_carry_an_oembed_discovery_link_that_answers(client, page):
    text = client.get(page, headers={"Accept": "text/html"}).text
    (link,) = [a for a in Tags(text).all("link") if a.get("type") == "application/json+oembed"]
    assert link["rel"] == "alternate" and link["title"].startswith("A3.")
    parts = urlsplit(link["href"])
    answer = client.get(f"{parts.path}?{parts.query}")
    assert answer.status_code == 200 and answer.get_json()["type"] == "rich"


def test_an_embeds_links_open_outside_the_frame_and_its_citation_is_a_link(client):
    tags = Tags(client.get("/embed/assumptions/a3").text)
    assert tags.all("base") == [{"target": "_blank"}]
    version = client.get("/assumptions/a3").get_json()["version"]
    hrefs = [a["href"] for a in tags.all("a")]
    assert f"http://localhost/assumptions/a3/versions/{version}" in hrefs
    assert all(not a.get("target") or a["target"] in ("_blank", "_top") for a in tags.all("a"))


@pytest.mark.parametrize("path", ["/trajectory.png", "/assumptions/a3/credence.png"])
def test_charts_come_as_png_with_their_own_validator(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert answer.data.startswith(PNG_SIGNATURE)
    again = client.get(path, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_the_png_of_a_missing_assumption_is_a_404(client):
    assert client.get("/assumptions/no-such-thing/credence.png").status_code == 404
