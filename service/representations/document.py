"""A page as plain data, written once and serialised by each wiki format (wikitext, confluence).

A Doc is a title, an infobox of facts, a lead line, blocks (headings, paragraphs, bullet lists,
tables) and the one citation of what it shows. Text in it is the content itself, never markup:
a serialiser escapes every string it writes, so the structure belongs to the serialiser alone.
Inline text is a Line: a tuple of str (plain text), Strong (bold) and Link (text and URL).
Pure: imports nothing of Flask; absolute URLs are made by the caller (citation.absolute).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None  # None or a non-web address: shown as text alone
    page: str | None = None  # the wiki page of the same thing, when it is published


Inline = str | Strong | Link
Line = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    line: Line


@dataclass(frozen=True)
class Bullets:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Table:
    """A sortable table: headers, then rows of cells (each a Line)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Line, ...], ...]


@dataclass(frozen=True)
class Image:
    """A chart: its URL (PNG, for wikis that hotlink only bitmaps) and its caption."""

    url: str
    caption: str


Block = Heading | Para | Bullets | Table | Image


@dataclass(frozen=True)
class Cite:
    """The citation of a permanent URL: what and which version, and the address itself."""

    text: str
    url: str


@dataclass(frozen=True)
class Doc:
    title: str
    blocks: tuple[Block, ...] = ()
    # (name, value) in order: the infobox (kind, id, status, credence, last_reviewed,
    # version, recorded); names are the wiki template's parameters, empty values left out.
    infobox: tuple[tuple[str, str], ...] = ()
    lead: Line = ()
    cite: Cite | None = None
    withdrawn: bool = False  # a tombstone: shown as a withdrawn page


def wiki_page(kind: str, id_: str | None = None) -> str:
    """The wiki page title of a resource (or of a kind's list) when published: the one rule
    the publisher and the links between published pages share. Kinds and ids are slugs."""
    return f"Framings/{kind}" + (f"/{id_}" if id_ else "")


def text(value) -> str:
    """A value as the text a reader sees: None empty, lists joined, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    return str(value)


def line(*parts) -> Line:
    """A Line of parts; plain values become text, empty ones are dropped."""
    return tuple(
        p if isinstance(p, Strong | Link) else text(p) for p in parts if p not in ("", None)
    )


def labelled(label: str, value) -> Line:
    """`**Label.** value`: a labelled paragraph or bullet."""
    return line(Strong(label), " ", text(value))


def bullets(lines) -> Bullets:
    return Bullets(tuple(line(x) if isinstance(x, str) else x for x in lines))


def section(heading: str, *blocks: Block | None) -> tuple[Block, ...]:
    """A heading and its blocks; nothing at all when every block is empty."""
    kept = tuple(b for b in blocks if b is not None and not empty(b))
    return (Heading(heading), *kept) if kept else ()


def empty(block: Block) -> bool:
    if isinstance(block, Para):
        return not block.line
    if isinstance(block, Bullets):
        return not block.lines
    if isinstance(block, Table):
        return not block.rows
    return False


def table(headers, rows) -> Table:
    return Table(
        tuple(headers),
        tuple(tuple(c if isinstance(c, tuple) else line(c) for c in row) for row in rows),
    )
