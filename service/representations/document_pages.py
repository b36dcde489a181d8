"""Each answer shape (version, page, history, diff, changes, index, review) as a Doc.

The wiki formats (wikitext.py, confluence.py) serialise these; the data is what the API
answers with in JSON, the context what the view passes (`kind` for lists and histories).
"""

from service.kinds import KINDS
from service.representations.citation import absolute, citation_parts, dig, title_of
from service.representations.document import (
    Cite,
    Doc,
    Link,
    Para,
    line,
    table,
    text,
    wiki_page,
)
from service.representations.document_sections import body_blocks
from service.representations.presentation import PRESENTATIONS

# (infobox parameter, body path) per kind; "status", "credence" and "last_reviewed" are what
# a reader of an internal wiki checks first.
FACTS = {
    "assumptions": (
        ("status", "assessment.status"),
        ("credence", "assessment.credence"),
        ("last_reviewed", "assessment.last_reviewed"),
    ),
    "watchlist": (("status", "status"), ("last_reviewed", "last_reviewed")),
    "chips": (("status", "status"), ("us_export_status", "us_export_status")),
    "controls": (("status", "status"), ("date", "date")),
}


def cite(item: dict) -> Cite:
    what, url = citation_parts(item)
    return Cite(what, url)


def infobox(item: dict) -> tuple[tuple[str, str], ...]:
    kind, body = item["kind"], item.get("body")
    noun = KINDS[kind].noun if kind in KINDS else kind
    facts = [("kind", noun), ("id", item["id"])]
    if item.get("deleted"):
        facts.append(("status", "withdrawn"))
    else:
        facts += [(name, dig(body, path)) for name, path in FACTS.get(kind, ())]
    facts += [("version", item["version"]), ("recorded", (item["recorded_at"] or "")[:10])]
    return tuple((name, text(value)) for name, value in facts if value not in (None, ""))


def version_doc(item: dict) -> Doc:
    """One version: infobox, summary, its body's sections, who changed it, the citation."""
    kind, id_ = item["kind"], item["id"]
    meta = Para(
        line(
            f"{kind}/{id_}, version {item['version']}, recorded {item['recorded_at']} by "
            f"{item['author']}: {item['change_note']}"
        )
    )
    if item.get("deleted"):
        lead = line(
            f"This {KINDS[kind].noun if kind in KINDS else kind} was withdrawn from the "
            "model. Its earlier versions stay readable at their permanent addresses."
        )
        return Doc(id_, (meta,), infobox(item), lead, cite(item), withdrawn=True)
    body = item["body"]
    summary = dig(body, PRESENTATIONS[kind].summary) if kind in PRESENTATIONS else None
    return Doc(
        title_of(kind, id_, body),
        (*body_blocks(kind, body), meta),
        infobox(item),
        line(summary),
        cite(item),
    )


def resource_link(item: dict, label=None) -> Link:
    """A link to a version's permanent URL, and to its wiki page when published."""
    name = label if label is not None else title_of(item["kind"], item["id"], item.get("body"))
    return Link(text(name), absolute(item["links"]["self"]), wiki_page(item["kind"], item["id"]))


def page_doc(data: dict, context: dict) -> Doc:
    kind = context["kind"]
    columns = PRESENTATIONS[kind.name].columns
    rows = [
        [
            line(resource_link(i)),
            i["id"],
            i["version"],
            *[get(i.get("body") or {}) for _, get in columns],
        ]
        for i in data["items"]
    ]
    blocks = [table(("item", "id", "version", *[name for name, _ in columns]), rows)]
    if data.get("next"):
        blocks.append(Para(line(Link("Next page", absolute(data["next"])))))
    return Doc(kind.plural.capitalize(), tuple(blocks), lead=line(kind.description))


def history_doc(data: dict, context: dict) -> Doc:
    rows = [
        [
            line(resource_link(i, f"version {i['version']}")),
            i["recorded_at"],
            i["author"],
            i["change_note"],
            "withdrawn" if i["deleted"] else "",
        ]
        for i in data["items"]
    ]
    headers = ("version", "recorded", "author", "change note", "")
    return Doc(f"History of {context['kind'].name}/{context['id']}", (table(headers, rows),))


def diff_doc(data: dict, context: dict) -> Doc:
    rows = [[op["op"], op["path"], op.get("old"), op.get("value")] for op in data["patch"]]
    title = f"{data['kind']}/{data['id']}: version {data['from']} → {data['to']}"
    return Doc(title, (table(("op", "path", "old", "new"), rows),))


def changes_doc(data: dict, context: dict) -> Doc:
    rows = [
        [
            i["seq"],
            line(resource_link(i, f"{i['kind']}/{i['id']} v{i['version']}")),
            i["recorded_at"],
            i["author"],
            i["change_note"],
        ]
        for i in data["items"]
    ]
    blocks = [table(("seq", "version", "recorded", "author", "note"), rows)]
    if data.get("next"):
        blocks.append(Para(line(Link("Next page", absolute(data["next"])))))
    return Doc("Changes", tuple(blocks))


def index_doc(data: dict, context: dict) -> Doc:
    rows = [
        [
            line(Link(name, absolute(c["href"]), wiki_page(name) if name in KINDS else None)),
            c["description"],
        ]
        for name, c in data["collections"].items()
    ]
    return Doc(data["name"], (table(("collection", "what"), rows),), lead=line(data["description"]))


def review_doc(data: dict, context: dict) -> Doc:
    rows = [
        [
            i["kind"],
            line(Link(i["title"], absolute(i["url"]))),
            i["last_reviewed"],
            i["days_since_review"],
            i["overdue_by_days"],
        ]
        for i in data["items"]
    ]
    lead = (
        f"As of {data['as_of']}: not reviewed for {data['review_days']} days or more, oldest "
        "review first." + ("" if rows else " Nothing is due for review.")
    )
    headers = ("kind", "item", "last reviewed", "days since", "days overdue")
    return Doc("Due for review", (table(headers, rows),) if rows else (), lead=line(lead))


DOCS = {
    "page": page_doc,
    "history": history_doc,
    "diff": diff_doc,
    "changes": changes_doc,
    "index": index_doc,
    "review": review_doc,
}
