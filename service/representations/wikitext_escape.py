"""The one escaping path for text and URLs placed into MediaWiki wikitext.

Every value goes through `esc` (or `web_url`, for a link's address), so content renders as the
text it is and never as markup: character references for `[ ] { } | < > ~ = &` (links,
templates, tables, tags, signatures, headings, entities), for apostrophes that could make bold
or italics, for doubled underscores (behaviour switches such as __NOTOC__), for a colon after a
letter (free links such as http://…, mailto:…), and for a character that would start a list,
an indented line, a rule or preformatted text where the value begins. Line breaks become spaces:
a value stays on its line. The structure belongs to the serialiser (wikitext.py) alone.
"""

import re
from urllib.parse import quote

SPECIAL = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "~": "&#126;",
    "=": "&#61;",
}
SPECIALS = re.compile("[" + re.escape("".join(SPECIAL)) + "]")
# An apostrophe next to another, or at an edge of the value (where the serialiser's own '''
# may sit beside it); a doubled underscore; a colon that could end a URL scheme.
APOSTROPHE = re.compile(r"^'|'$|'(?=')|(?<=')'")
UNDERSCORE = re.compile(r"_(?=_)|(?<=_)_")
SCHEME_COLON = re.compile(r"(?<=[A-Za-z]):(?=\S)")
LINE_START = re.compile(r"^(\s*)([*#:;!\-])")
BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def esc(value) -> str:
    """`value` as wikitext that renders as itself, on one line; None is empty. Spaces at its
    edges are kept (it may be one part of a line); the serialiser strips whole lines."""
    if value is None:
        return ""
    text = CONTROLS.sub("", BREAKS.sub(" ", str(value)))
    text = SPECIALS.sub(lambda m: SPECIAL[m.group(0)], text)
    text = APOSTROPHE.sub("&#39;", text)
    text = UNDERSCORE.sub("&#95;", text)
    text = SCHEME_COLON.sub("&#58;", text)
    return LINE_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)


def web_url(address) -> str | None:
    """An http(s) address fit for `[url text]` and template parameters, or None (javascript:,
    data: and the like are never links). Characters wikitext reads (brackets, braces, pipes,
    quotes, tildes, spaces) are percent-encoded; `&` becomes `&amp;`, which MediaWiki decodes."""
    if not isinstance(address, str) or not address.lower().startswith(("http://", "https://")):
        return None
    encoded = quote(CONTROLS.sub("", address), safe="/:?#@!$&*+,;=%-._")
    encoded = encoded.replace("~", "%7E").replace("&", "&amp;")
    return UNDERSCORE.sub("%5F", encoded)
