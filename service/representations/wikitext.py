"""MediaWiki wikitext (`?format=wiki`, text/x-wiki): a Doc (document.py) as a wiki page.

A resource page opens with the infobox template ({{Framings infobox}}: status, credence, last
reviewed, version and the permanent URL), then its summary with a footnote citing that URL
(<ref>{{Framings citation}}</ref>), its sections, sortable tables and the references list.
The templates are in wikitext_templates.py; `framings publish` installs them on the wiki.
Every value goes through wikitext_escape (esc, web_url): the markup here is all there is.
"""

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
from service.representations.wikitext_escape import esc, web_url

register_format(
    "wiki",
    "text/x-wiki",
    description="MediaWiki wikitext built from the Framings templates (?format=wiki)",
)


def template(name: str, params: dict) -> str:
    """{{name|key=value|…}} with each value escaped (URLs made safe by web_url beforehand)."""
    return "{{" + "|".join([name, *(f"{key}={value}" for key, value in params.items())]) + "}}"


def link(item: Link) -> str:
    url = web_url(item.url)
    if item.page and url:
        return template(
            "Framings link", {"page": esc(item.page), "url": url, "text": esc(item.text)}
        )
    if url:
        return f"[{url} {esc(item.text) or url}]"
    return esc(item.text)


def inline(line: Line) -> str:
    parts = []
    for part in line:
        if isinstance(part, Strong):
            parts.append(f"'''{esc(part.text)}'''" if part.text else "")
        elif isinstance(part, Link):
            parts.append(link(part))
        else:
            parts.append(esc(part))
    return "".join(parts).strip()


def table(block: Table) -> str:
    lines = ['{| class="wikitable sortable"', "! " + " !! ".join(esc(h) for h in block.headers)]
    for row in block.rows:
        lines += ["|-", "| " + " || ".join(inline(cell) for cell in row)]
    return "\n".join([*lines, "|}"])


def block(item) -> str:
    if isinstance(item, Heading):
        marks = "=" * max(item.level, 2)
        return f"{marks} {esc(item.text).strip()} {marks}"
    if isinstance(item, Para):
        return inline(item.line)
    if isinstance(item, Bullets):
        return "\n".join(f"* {inline(line)}" for line in item.lines)
    if isinstance(item, Table):
        return table(item)
    if isinstance(item, Image):
        return f"[{web_url(item.url)} {esc(item.caption)}]" if web_url(item.url) else ""
    raise TypeError(f"no wikitext for {item!r}")


def infobox(doc: Doc) -> str:
    params = {"title": esc(doc.title), **{name: esc(value) for name, value in doc.infobox}}
    if doc.cite and web_url(doc.cite.url):
        params["url"] = web_url(doc.cite.url)
    return template("Framings infobox", params)


def render(doc: Doc) -> str:
    """The whole page: infobox, withdrawn banner, lead with its footnote, blocks, references."""
    parts = [infobox(doc)] if doc.infobox else []
    if doc.withdrawn:
        parts.append(template("Framings withdrawn", {}))
    lead = f"'''{esc(doc.title)}'''" + (f": {inline(doc.lead)}" if doc.lead else "")
    if doc.cite and web_url(doc.cite.url):
        cite = {"text": esc(doc.cite.text), "url": web_url(doc.cite.url)}
        lead += f"<ref>{template('Framings citation', cite)}</ref>"
    parts.append(lead)
    parts += [text for text in map(block, doc.blocks) if text]
    if doc.cite:
        parts.append("== References ==\n<references />")
    return "\n\n".join(parts) + "\n"


@renderer("version", "wiki")
def version_wiki(item: dict, context: dict) -> str:
    return render(version_doc(item))


def register_shape(shape: str, build) -> None:
    """Register the wikitext of a shape other than a version (lists, scores...)."""
    renderer(shape, "wiki")(lambda data, context: render(build(data, context)))


for _shape, _build in {**PAGE_DOCS, **SCORE_DOCS}.items():
    register_shape(_shape, _build)
