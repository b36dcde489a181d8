"""Proactive negotiation on Accept, per RFC 9110 section 12.5.1: the one place a format is chosen.

- Media ranges match with wildcards (`*/*`, `text/*`); for each representation on offer, the
  quality is that of the most specific range that matches it (a range with parameters is more
  specific than one without), and `q=0` means "not this one".
- Every representation here is UTF-8, so `charset=utf-8` (any case) matches and any other
  charset does not; other parameters are ignored (`application/json; indent=2` is JSON).
- The highest quality wins; ties go to the server's order (JSON first). Ranges that are not
  well-formed (no `/`, a q outside 0-1 or with more than three decimals) are skipped, and an
  Accept with no well-formed range at all counts as absent: anything is acceptable.
"""

import re
from functools import lru_cache

TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
RANGE = re.compile(rf"^({TOKEN})/({TOKEN})$")
QVALUE = re.compile(r"^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")
CHARSET = "utf-8"

# (type, subtype, charset or None, quality), all in lower case
MediaRange = tuple[str, str, str | None, float]


@lru_cache(maxsize=512)
def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """The well-formed media ranges of an Accept field, in order."""
    ranges = []
    for element in header.split(","):
        kind, *params = (part.strip() for part in element.split(";"))
        match = RANGE.match(kind.lower())
        if match is None:
            continue
        quality, charset, valid = 1.0, None, True
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                valid = QVALUE.match(value) is not None
                quality = float(value) if valid else 0.0
            elif name == "charset":
                charset = value
        if valid:
            ranges.append((match.group(1), match.group(2), charset, quality))
    return tuple(ranges)


def quality(offered: str, ranges: tuple[MediaRange, ...]) -> float:
    """The quality the client gives `offered` (type/subtype): that of its most specific range."""
    kind, _, subtype = offered.partition("/")
    best, best_specificity = 0.0, -1
    for rtype, rsubtype, charset, q in ranges:
        if rtype == "*" and rsubtype != "*":
            continue  # "*/json" is not a media range
        if rtype not in ("*", kind) or rsubtype not in ("*", subtype):
            continue
        if charset is not None and charset not in (CHARSET, "utf8"):
            continue
        specificity = (rtype != "*") + (rsubtype != "*") + (charset is not None)
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best


@lru_cache(maxsize=1024)
def choose(header: str, offered: tuple[str, ...]) -> str | None:
    """The media type of `offered` that `header` (an Accept field) prefers, or None (a 406)."""
    ranges = parse_accept(header)
    if not ranges:
        return offered[0]
    best, best_quality = None, 0.0
    for media_type in offered:
        q = quality(media_type, ranges)
        if q > best_quality:
            best, best_quality = media_type, q
    return best
