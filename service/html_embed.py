"""What an embed shows of a resource: a line of summary and a few key facts, per kind."""

from service import html_helpers as h
from service.store import Version

# Per kind: the body path of its one-paragraph summary, then (label, path) of its key facts.
SUMMARY = {
    "framings": "summary",
    "assumptions": "statement",
    "watchlist": "description",
    "chips": "notes",
    "controls": "summary",
}
FACTS = {
    "framings": (("Premise", "premise"), ("Objective", "objective")),
    "assumptions": (
        ("Status", "assessment.status"),
        ("Credence", "assessment.credence"),
        ("Assessed on", "assessment.assessed_on"),
    ),
    "watchlist": (
        ("Status", "status"),
        ("Category", "category"),
        ("Would signal", "signals.framing"),
        ("Last reviewed", "last_reviewed"),
    ),
    "chips": (
        ("Vendor", "vendor"),
        ("Origin", "origin"),
        ("TPP", "tpp"),
        ("Memory bandwidth (TB/s)", "memory_bandwidth_tbps"),
        ("US export status", "us_export_status"),
    ),
    "controls": (
        ("Date", "date"),
        ("Agency", "agency"),
        ("Status", "status"),
        ("Direction", "control.direction"),
        ("Instrument", "control.instrument"),
    ),
}


def summary_of(version: Version) -> str | None:
    return h.dig(version.body, SUMMARY.get(version.kind, ""))


def facts_of(version: Version) -> list[tuple[str, str]]:
    """(label, text) pairs of the facts a reader needs at a glance; unknown ones left out."""
    pairs = [(label, h.dig(version.body, path)) for label, path in FACTS.get(version.kind, ())]
    return [(label, h.cell(value)) for label, value in pairs if value is not None]
