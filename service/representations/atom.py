"""The change feed as an Atom 1.0 document (RFC 4287), paged per RFC 5005.

Not a registered renderer: /changes.atom is its own route (the feed a reader subscribes to),
not a format of /changes. Entries come newest first; the paging links are the ones the JSON
feed has, "prev" named "previous" as RFC 5005 section 3 says. Imports store (types) and
citation only.
"""

import re
import xml.etree.ElementTree as ET

from service import store
from service.representations.citation import version_path
from service.representations.formats import register_format

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = register_format("atom", "application/atom+xml").media_type
FEED_ID = "tag:framings,2025:changes"
# Characters XML 1.0 cannot carry at all, escaped or not.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids outright are dropped."""
    return XML_ILLEGAL.sub("", text)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_entry(feed: ET.Element, version: store.Version, base: str) -> None:
    entry = sub(feed, "entry")
    sub(entry, "id", f"tag:framings,2025:{version.kind}/{version.id}/v{version.version}")
    title = f"{version.kind}/{version.id} v{version.version}"
    sub(entry, "title", title + (" (deleted)" if version.deleted else ""))
    sub(entry, "updated", version.recorded_at)
    author = sub(entry, "author")
    sub(author, "name", version.author or "unknown")
    sub(entry, "category", term=version.kind)
    sub(entry, "summary", version.change_note, type="text")
    path = version_path(version.kind, version.id, version.version)
    sub(entry, "link", rel="alternate", type="application/json", href=base + path.lstrip("/"))


def changes_feed(
    entries: list[store.Version],
    links: dict[str, str],
    *,
    updated: str,
    base: str,
    self_url: str,
    json_page: str,
) -> bytes:
    """The feed document: `entries` in the order given, paging `links` (relation -> path) and
    the JSON page `json_page` (a path) made absolute against `base` (the host URL)."""
    # The default namespace is declared on the root, so children need no prefix.
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    sub(feed, "id", FEED_ID)
    sub(feed, "title", "Framings: changes to the model")
    sub(
        feed,
        "subtitle",
        "Every new version of a framing, assumption, watch-list item, chip or control.",
    )
    sub(feed, "updated", updated)
    author = sub(feed, "author")
    sub(author, "name", "Framings")
    sub(feed, "link", rel="self", type=ATOM_TYPE, href=self_url)
    for rel, url in links.items():  # RFC 5005 section 3 names "prev" "previous"
        name = "previous" if rel == "prev" else rel
        sub(feed, "link", rel=name, type=ATOM_TYPE, href=base + url.lstrip("/"))
    sub(feed, "link", rel="alternate", type="application/json", href=base + json_page)
    sub(feed, "generator", "Framings")
    for version in entries:
        atom_entry(feed, version, base)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
