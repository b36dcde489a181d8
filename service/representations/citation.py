"""The one citation of a version, used by Markdown, HTML pages and embeds alike: what (noun
and title), which version, when recorded, and its permanent URL. Also the one human title of a
resource body. Imports kinds; the request (for the absolute URL) only through helpers.absolute.
"""

from flask import request

from service import config
from service.kinds import KINDS


def dig(body, path):
    """The value at a dotted path (or what a kind's function makes of the body), else None."""
    if callable(path):
        return path(body) if isinstance(body, dict) else None
    for step in path.split("."):
        body = body.get(step) if isinstance(body, dict) else None
    return body


def origin() -> str:
    """Where absolute links start: FRAMINGS_PUBLIC_URL when set, else the request's host.

    A configured origin keeps a forged Host header out of answers that a cache shares.
    """
    return config.public_url() or request.host_url.rstrip("/")


def absolute(path: str) -> str:
    """`path` (starting with "/") as an absolute URL on this service's origin."""
    return origin() + path


def title_of(kind: str, id_: str, body) -> str:
    """The human title of a resource body; its id when the body has none (a tombstone)."""
    if not isinstance(body, dict):
        return id_
    if kind == "assumptions" and body.get("number") is not None:
        return f"A{body['number']}. {body.get('title', '')}"
    title = body.get("title") or body.get("name") or dig(body, "control.name")
    return str(title) if title else id_


def version_path(kind: str, id_: str, number: int) -> str:
    return f"/{kind}/{id_}/versions/{number}"


def date_of(instant: str | None) -> str:
    return (instant or "")[:10]


def citation_parts(envelope: dict) -> tuple[str, str]:
    """What, which version and when; and the permanent URL of that version."""
    kind, id_ = envelope["kind"], envelope["id"]
    title = title_of(kind, id_, envelope.get("body"))
    url = absolute(version_path(kind, id_, envelope["version"]))
    noun = KINDS[kind].noun if kind in KINDS else kind
    text = (
        f"Framings, {noun} “{title}” ({kind}/{id_}), version "
        f"{envelope['version']}, recorded {date_of(envelope['recorded_at'])}."
    )
    return text, url


def citation(envelope: dict) -> str:
    """One line to paste into a footnote: what, which version, when, and where for good."""
    return " ".join(citation_parts(envelope))
