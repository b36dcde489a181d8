"""Markdown fit to paste into a wiki: tables for lists, sections for one resource, a citation."""

from service.representations.citation import absolute, citation_parts, title_of
from service.representations.formats import register_format, renderer
from service.representations.markdown_sections import quotes, sources
from service.representations.markdown_text import link, md, url
from service.representations.presentation import PRESENTATIONS

register_format(
    "md", "text/markdown", description="Markdown for a wiki (?format=md or Accept: text/markdown)"
)


def cell(value) -> str:
    """A table cell: escaped as all Markdown text is (markdown_text.md), so no pipe or line
    break escapes it. Links are made with `link` before they get here."""
    return md(value)


class Linked(str):
    """Markdown made by `link`, already escaped: a cell takes it as it is."""


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += [
        "| " + " | ".join(v if isinstance(v, Linked) else cell(v) for v in row) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def body_sections(kind: str, body: dict) -> list[str]:
    """The body's sections for its kind, then quotes and sources; empty sections dropped."""
    return [
        part for part in [*PRESENTATIONS[kind].sections(body), *quotes(body), sources(body)] if part
    ]


def citation(item: dict) -> str:
    """The line a wiki keeps: the one citation (citation.py), escaped, with its URL."""
    text, permanent = citation_parts(item)
    return f"> Cite as: {md(text)} <{url(permanent)}>"


@renderer("version", "md")
def version_md(item: dict, context: dict) -> str:
    """One version: heading, metadata, its body as sections, sources, then the citation."""
    meta = (
        f"*{md(item['kind'])}/{md(item['id'])}, version {item['version']}, recorded "
        f"{md(item['recorded_at'])} by {md(item['author'])}: {md(item['change_note'])}*"
    )
    if item["deleted"]:
        return f"# {md(item['id'])} (deleted)\n\n{meta}\n\n{citation(item)}\n"
    parts = [
        f"# {md(title_of(item['kind'], item['id'], item['body']))}",
        meta,
        *body_sections(item["kind"], item["body"]),
        citation(item),
    ]
    return "\n\n".join(parts) + "\n"


@renderer("page", "md")
def page_md(data: dict, context: dict) -> str:
    kind = context["kind"]
    columns = PRESENTATIONS[kind.name].columns
    rows = [
        [
            Linked(link(item["id"], absolute(item["links"]["self"]))),
            item["version"],
            *[get(item["body"]) for _, get in columns],
        ]
        for item in data["items"]
    ]
    text = f"# {md(kind.plural.capitalize())}\n\n" + table(
        ["id", "version", *[name for name, _ in columns]], rows
    )
    if data.get("next"):
        text += "\n\n" + link("Next page", absolute(data["next"]))
    return text + "\n"


@renderer("history", "md")
def history_md(data: dict, context: dict) -> str:
    rows = [
        [
            Linked(link(i["version"], absolute(i["links"]["self"]))),
            i["recorded_at"],
            i["author"],
            i["change_note"],
            "deleted" if i["deleted"] else "",
        ]
        for i in data["items"]
    ]
    heading = f"# History of {md(context['kind'].name)}/{md(context['id'])}\n\n"
    return heading + table(["version", "recorded", "author", "change note", ""], rows) + "\n"


@renderer("diff", "md")
def diff_md(data: dict, context: dict) -> str:
    rows = [[op["op"], op["path"], op.get("old"), op.get("value")] for op in data["patch"]]
    heading = f"# {md(data['kind'])}/{md(data['id'])}: version {data['from']} → {data['to']}\n\n"
    return heading + table(["op", "path", "old", "new"], rows) + "\n"


@renderer("changes", "md")
def changes_md(data: dict, context: dict) -> str:
    rows = [
        [
            i["seq"],
            Linked(link(f"{i['kind']}/{i['id']} v{i['version']}", absolute(i["links"]["self"]))),
            i["recorded_at"],
            i["author"],
            i["change_note"],
        ]
        for i in data["items"]
    ]
    return "# Changes\n\n" + table(["seq", "version", "recorded", "author", "note"], rows) + "\n"


@renderer("index", "md")
def index_md(data: dict, context: dict) -> str:
    rows = [
        [Linked(link(name, absolute(c["href"]))), c["description"]]
        for name, c in data["collections"].items()
    ]
    return (
        f"# {md(data['name'])}\n\n{md(data['description'])}\n\n"
        + table(["collection", ""], rows)
        + "\n"
    )


def lapse_or_overdue(item: dict) -> str:
    if item.get("reason") == "status_lapsed":
        until = f", held until {item['status_until']}" if item.get("status_until") else ""
        return f"status lapsed: {item['status']}{until}"
    return f"{item['overdue_by_days']} days overdue"


@renderer("review", "md")
def review_md(data: dict, context: dict) -> str:
    rows = [
        [
            i["kind"],
            Linked(link(i["title"], absolute(i["url"]))),
            i["last_reviewed"],
            i["days_since_review"],
            lapse_or_overdue(i),
        ]
        for i in data["items"]
    ]
    heading = (
        f"# Due for review\n\nAs of {md(data['as_of'])}: not reviewed for "
        f"{md(data['review_days'])} days or more, oldest review first.\n\n"
    )
    if not rows:
        return heading + "Nothing is due for review.\n"
    return heading + table(["kind", "item", "last reviewed", "days since", "overdue"], rows) + "\n"
