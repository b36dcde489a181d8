"""Confluence storage format (`?format=confluence`): a Doc (document.py) as the XHTML that
Confluence's REST API stores as a page body.

The infobox is a Page Properties macro (`details`) holding a two-column table, a withdrawn
item an `warning` macro, tables plain XHTML tables, charts `<ac:image><ri:url/>`. The output is
a fragment, as Confluence stores it: the `ac:` and `ri:` prefixes are declared by Confluence
(and by md2conf's checker, which the tests run), not in the text. Every value is escaped as
XML text or attribute (`&amp; &lt; &gt; &quot;`), with characters XML 1.0 forbids removed, so
content can add no element, attribute or entity.
"""

import re
from html import escape

from service.representations.document import (
    Bullets,
    Doc,
    Heading,
    Image,
    Line,
    Link,
    Para,
    Strong,
    Table,
)
from service.representations.document_pages import DOCS as PAGE_DOCS
from service.representations.document_pages import version_doc
from service.representations.document_score import DOCS as SCORE_DOCS
from service.representations.formats import register_format, renderer

register_format(
    "confluence",
    "application/vnd.atlassian.confluence.storage+xml",
    description="Confluence storage-format XHTML, a page body for its REST API "
    "(?format=confluence)",
)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LABELS = {"last_reviewed": "Last reviewed", "us_export_status": "US export status"}


def x(value) -> str:
    """Text (or an attribute value) as XML: escaped, characters XML 1.0 forbids removed."""
    return escape(NOT_XML.sub("", "" if value is None else str(value)), quote=True)


def web_url(address) -> str | None:
    if isinstance(address, str) and address.lower().startswith(("http://", "https://")):
        return address
    return None


def inline(line: Line) -> str:
    parts = []
    for part in line:
        if isinstance(part, Strong):
            parts.append(f"<strong>{x(part.text)}</strong>")
        elif isinstance(part, Link):
            url = web_url(part.url)
            parts.append(f'<a href="{x(url)}">{x(part.text or url)}</a>' if url else x(part.text))
        else:
            parts.append(x(part))
    return "".join(parts)


def table(block: Table) -> str:
    head = "".join(f"<th>{x(h)}</th>" for h in block.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{inline(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f"<table><tbody><tr>{head}</tr>{rows}</tbody></table>"


def block(item) -> str:
    if isinstance(item, Heading):
        level = min(max(item.level, 1), 6)
        return f"<h{level}>{x(item.text)}</h{level}>"
    if isinstance(item, Para):
        return f"<p>{inline(item.line)}</p>"
    if isinstance(item, Bullets):
        return "<ul>" + "".join(f"<li>{inline(line)}</li>" for line in item.lines) + "</ul>"
    if isinstance(item, Table):
        return table(item)
    if isinstance(item, Image):
        url = web_url(item.url)
        image = f'<ac:image ac:alt="{x(item.caption)}"><ri:url ri:value="{x(url)}" /></ac:image>'
        return f"<p>{image}</p>" if url else ""
    raise TypeError(f"no storage format for {item!r}")


def macro(name: str, body: str) -> str:
    return (
        f'<ac:structured-macro ac:name="{name}"><ac:rich-text-body>{body}</ac:rich-text-body>'
        "</ac:structured-macro>"
    )


def infobox(doc: Doc) -> str:
    rows = [(LABELS.get(name, name.capitalize()), value) for name, value in doc.infobox]
    cells = "".join(f"<tr><th>{x(label)}</th><td>{x(value)}</td></tr>" for label, value in rows)
    if doc.cite and web_url(doc.cite.url):
        url = x(doc.cite.url)
        cells += f'<tr><th>Permanent URL</th><td><a href="{url}">{url}</a></td></tr>'
    return macro("details", f"<table><tbody>{cells}</tbody></table>")


def render(doc: Doc) -> str:
    parts = [infobox(doc)] if doc.infobox else []
    if doc.withdrawn:
        parts.append(
            macro(
                "warning",
                "<p><strong>Withdrawn.</strong> This item was withdrawn "
                "from the Framings model.</p>",
            )
        )
    lead = f"<strong>{x(doc.title)}</strong>" + (f": {inline(doc.lead)}" if doc.lead else "")
    parts.append(f"<p>{lead}</p>")
    parts += [text for text in map(block, doc.blocks) if text]
    if doc.cite and web_url(doc.cite.url):
        url = x(doc.cite.url)
        cite = f'<p>Cite as: {x(doc.cite.text)} <a href="{url}">{url}</a></p>'
        parts.append(macro("info", cite))
    return "\n".join(parts) + "\n"


@renderer("version", "confluence")
def version_confluence(item: dict, context: dict) -> str:
    return render(version_doc(item))


def register_shape(shape: str, build) -> None:
    """Register the storage format of a shape other than a version (lists, scores...)."""
    renderer(shape, "confluence")(lambda data, context: render(build(data, context)))


for _shape, _build in {**PAGE_DOCS, **SCORE_DOCS}.items():
    register_shape(_shape, _build)
