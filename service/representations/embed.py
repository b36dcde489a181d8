"""What an embed shows of a resource: its summary and key facts, as its Kind names them."""

from service.representations import helpers as h
from service.representations.presentation import PRESENTATIONS
from service.store import Version


def summary_of(version: Version) -> str | None:
    return h.dig(version.body, PRESENTATIONS[version.kind].summary)


def facts_of(version: Version) -> list[tuple[str, str]]:
    """(label, text) pairs of the facts a reader needs at a glance; unknown ones left out."""
    pairs = [
        (label, h.dig(version.body, path)) for label, path in PRESENTATIONS[version.kind].facts
    ]
    return [(label, h.cell(value)) for label, value in pairs if value is not None]
