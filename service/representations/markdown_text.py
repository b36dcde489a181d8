"""The one escaping path for text placed into Markdown (CommonMark and its GitHub flavour).

Every value a renderer writes into Markdown goes through `md` (or `link`, for a title and its
URL): line breaks become spaces, so no value can end the line it is on and start a heading, a
quote or a citation line of its own; and every character Markdown could read as syntax
(emphasis, code, links, HTML, tables, headings, quotes) is backslash-escaped, so a value renders
as the text it is. The structure (headings, lists, tables, the citation line) belongs to the
renderers alone.
"""

import re
from urllib.parse import quote

# Always escaped: code, emphasis, links, HTML, strikethrough and table cells.
INLINE = re.compile(r"([\\`*\[\]<~|])")
# Underscores emphasise only at a word's edge (snake_case stays readable); `&` only starts an
# entity reference (&amp; &#38;).
EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Escaped where a value starts (after a list marker or as a paragraph): headings (#), quotes
# (>), list markers and thematic breaks (- + =), and ordered list markers (1. or 1)).
LINE_START = re.compile(r"^(?:([-+=#>])|(\d{1,9})([.)])(?=\s|$))")
LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")


def md(value) -> str:
    """`value` as Markdown text that renders as itself, on one line; None is empty."""
    if value is None:
        return ""
    text = LINE_BREAKS.sub(" ", str(value)).strip()
    text = INLINE.sub(r"\\\1", text)
    text = ENTITY.sub(r"\\&", EDGE_UNDERSCORE.sub(r"\\_", text))
    return LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text
    )


def url(address: str) -> str | None:
    """A web address fit for a link destination, or None for any other scheme (javascript:,
    data:): a stored URL must never run script in a wiki that renders the Markdown."""
    if not isinstance(address, str) or not address.lower().startswith(("http://", "https://")):
        return None
    # Spaces, angle brackets, parentheses and line breaks would end the destination early.
    return quote(address, safe="/:?#@!$&'*+,;=%-._~[]")


def link(text, address) -> str:
    """[text](address) with both escaped; the text alone when the address is no web link."""
    destination = url(address)
    return f"[{md(text)}](<{destination}>)" if destination else md(text)
