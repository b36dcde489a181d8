"""oEmbed 1.0 answers (type `rich`: an iframe of /embed/<kind>/<id>) and the discovery link
that the pages carry. The request's URL is parsed by the view (api/oembed.py); this builds."""

from html import escape
from urllib.parse import urlencode

from service.representations.citation import absolute

WIDTH, HEIGHT = 600, 340  # the embed page's box, in pixels, when the consumer sets no maximum
PROVIDER = "Framings"
OEMBED_TYPE = "application/json+oembed"


def size(maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The iframe's size: ours, within the consumer's maximums (oEmbed section 2.2)."""
    return min(WIDTH, maxwidth or WIDTH), min(HEIGHT, maxheight or HEIGHT)


def answer(embed_url: str, title: str, width: int, height: int, cache_age: int) -> dict:
    """The JSON of a rich embed: the iframe opens links in a new tab or the top window (the
    embed page's links say so), never inside the frame."""
    frame = (
        f'<iframe src="{escape(embed_url)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" style="border:0;max-width:100%" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox '
        'allow-top-navigation-by-user-activation"></iframe>'
    )
    return {
        "type": "rich",
        "version": "1.0",
        "html": frame,
        "width": width,
        "height": height,
        "title": title,
        "provider_name": PROVIDER,
        "provider_url": absolute("/"),
        "cache_age": cache_age,
    }


def discovery_href(page_url: str) -> str:
    """The oEmbed URL of a page, for its <link rel="alternate" type="application/json+oembed">."""
    return absolute("/oembed?" + urlencode({"url": page_url, "format": "json"}))
