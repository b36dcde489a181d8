"""Small, pure helpers the HTML templates call as `h.<name>`: titles, numbers, links, citations.

Templates stay free of logic this way, and every string still goes through Jinja's autoescape:
nothing here returns Markup.
"""

import json
from urllib.parse import urlencode

from flask import request

from service.representations.citation import (  # noqa: F401 (templates call h.<name>)
    absolute,
    citation,
    citation_parts,
    date_of,
    dig,
    title_of,
    version_path,
)
from service.representations.criteria_text import (  # noqa: F401 (templates call h.<name>)
    band_rows,
    band_value,
    when_words,
)
from service.representations.formats import renders
from service.representations.oembed import OEMBED_TYPE, discovery_href  # noqa: F401
from service.representations.presentation import signal_words  # noqa: F401 (templates call h.<name>)
from service.scoring.verdict import tipping_sentences  # noqa: F401 (templates call h.<name>)
from service.scoring.words import framing_name  # noqa: F401 (templates call h.<name>)

NAV = (
    ("/", "Home"),
    ("/framings", "Framings"),
    ("/assumptions", "Assumptions"),
    ("/watchlist", "Watch-list"),
    ("/chips", "Chips"),
    ("/controls", "Controls"),
    ("/score/form", "Score a control"),
    ("/changes", "Changes"),
    ("/releases", "Releases"),
    ("/docs", "API"),
)

SIGNS = {1: "favours (+1)", 0: "neutral (0)", -1: "opposes (−1)"}


def human(value) -> str:
    """An enum value as words: strongly_aligned -> strongly aligned."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def num(value, places: int = 3) -> str:
    """A number without float noise: 2368.0 -> 2,368; 0.15 -> 0.15; None -> —."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{round(value, places):,}"


def signed(value, places: int = 2) -> str:
    return "—" if value is None else f"{value:+.{places}f}"


def cell(value) -> str:
    """A value in a list table: numbers tidied, enums as words, lists joined."""
    if isinstance(value, list):
        return ", ".join(human(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return num(value)
    return human(value)


def pretty(value) -> str:
    """A value in a diff table: text as it is, anything else as indented JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=1, ensure_ascii=False)


def safe_url(url) -> str | None:
    """Only web links become hrefs: a stored URL must never run script in a reader's page."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


def has_format(shape: str, fmt: str) -> bool:
    return renders(shape, fmt)


def with_format(fmt: str) -> str:
    """This page's URL asking for another representation, other query arguments kept."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    return f"{request.path}?{urlencode([*query, ('format', fmt)])}"


def trajectory_height(count: int) -> int:
    from service.representations.trajectory import chart_height  # registers renderers: late

    return chart_height(count)


def trajectory_said(reading: dict | None) -> str:
    from service.representations.trajectory import said

    return said(reading)


def same_query() -> str:
    """This request's query string without `format`, to ask for the same data in another form."""
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    return f"?{urlencode(query)}" if query else ""


def point_query() -> str:
    """The as_of/release arguments of this request, to carry onto links that read the model."""
    query = [(k, request.args[k]) for k in ("as_of", "release") if request.args.get(k)]
    return f"?{urlencode(query)}" if query else ""


def status_lapsed(body) -> bool:
    """Whether a status rests on a day before the page's point in time (its `status_until`),
    or is already recorded as `unknown`: the page says the status is unknown (see /review)."""
    from service.web.review_period import last_day, reference_day

    if not isinstance(body, dict):
        return False
    until = body.get("status_until")
    try:
        return body.get("status") == "unknown" or bool(until and last_day(until) < reference_day())
    except ValueError:
        return False


def review_overdue(last_reviewed) -> bool:
    """Whether a review date is FRAMINGS_REVIEW_DAYS or more before the page's point in time
    (its as_of, else today): the HTML face marks such items as overdue (see /review)."""
    from service.web.review_period import first_day, reference_day, review_days

    if not isinstance(last_reviewed, str) or not last_reviewed:
        return False
    try:
        return (reference_day() - first_day(last_reviewed)).days >= review_days()
    except ValueError:
        return False


CENTRALITY = {
    "central": "central to its agenda",
    "secondary": "secondary to its agenda",
    "peripheral": "peripheral to its agenda",
    "not_engaged": "outside its agenda",
}


def degree_words(result: dict) -> str:
    """A framing's reading in words: 'central to its agenda · large effect · firm'."""
    centrality = result.get("centrality")
    said = [
        CENTRALITY.get(centrality, human(centrality)),
        f"{human(result.get('effect'))} effect",
        human(result.get("certainty")),
    ]
    return " · ".join(said)
