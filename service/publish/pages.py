"""What the publisher puts on the wiki: its templates, a page per framing, assumption and watch
item (and the score of each watch item that holds a control), a list per kind, and the charts.

Page titles follow document.wiki_page, so the links between published pages resolve.
"""

from dataclasses import dataclass

from service.representations.document import wiki_page
from service.representations.wikitext_templates import TEMPLATES

KINDS = ("framings", "assumptions", "watchlist")  # one page each, and a list
SCORED = ("watchlist",)  # also a page of the score of the control it holds


@dataclass(frozen=True)
class Page:
    title: str
    source: str | None  # the API path of its wikitext; None for a template (text below)
    summary: str
    text: str = ""
    chart: str | None = None  # a file shown at the end of the page


@dataclass(frozen=True)
class Chart:
    name: str  # the file's name on the wiki, without "File:"
    source: str  # the API path of its SVG
    description: str


def templates() -> list[Page]:
    return [
        Page(f"Template:{name}", None, "framings publish: template", text)
        for name, text in TEMPLATES.items()
    ]


def credence_chart(id_: str) -> Chart:
    return Chart(
        f"Framings credence {id_}.svg",
        f"/assumptions/{id_}/credence.svg",
        f"Credence in assumption {id_} over time, with its evidence (Framings).",
    )


TRAJECTORY = Chart(
    "Framings trajectory.svg",
    "/trajectory.svg",
    "Every stored US chip control by date and its impact under each framing (Framings).",
)


def resource_pages(key: str, seen: dict) -> list[Page]:
    """The pages of one resource as the feed last showed it (`seen`: version, deleted, note)."""
    kind, id_ = key.split("/", 1)
    note = f"Framings {key} version {seen['version']}: {seen.get('note', '')}"
    chart = credence_chart(id_).name if kind == "assumptions" and not seen["deleted"] else None
    pages = [
        Page(
            wiki_page(kind, id_),
            f"/{key}/versions/{seen['version']}?format=wiki",
            note,
            chart=chart,
        )
    ]
    if kind in SCORED and not seen["deleted"]:
        pages.append(
            Page(
                wiki_page(kind, id_) + "/score",
                f"/{key}/score?format=wiki",
                f"Framings: the score of {key}",
            )
        )
    return pages


def list_pages() -> list[Page]:
    return [
        Page(wiki_page(kind), f"/{kind}?format=wiki&limit=200", f"Framings: the list of {kind}")
        for kind in KINDS
    ]


def with_chart(text: str, chart: str | None) -> str:
    """The page's wikitext with its chart shown before the references."""
    if not chart:
        return text
    figure = f"== Credence over time ==\n\n[[File:{chart}|frameless|upright=2.2]]\n\n"
    head, marker, tail = text.partition("== References ==")
    return head + figure + marker + tail if marker else text.rstrip() + "\n\n" + figure
