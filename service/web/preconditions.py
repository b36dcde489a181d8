"""Conditional requests, exactly per RFC 9110 section 13: one evaluator for reads and writes.

Entity-tags are opaque strings. If-Match compares them strongly (a weak tag, W/"…", never
matches), If-None-Match weakly (W/"a" matches "a"); nothing is parsed as a number. `*` matches
only when there is a current representation, so `If-Match: *` fails on a deleted resource and
`If-None-Match: *` passes there.

Validators:
- The JSON of a version: `"<version>"`, a strong tag (its bytes never change). Writes take it in
  If-Match; write answers, 410s and 412s carry it (a 410's is the tombstone's, to revive with).
- Every other answer to a GET (Markdown, HTML and CSV of the same resource, lists, the change
  feed and its Atom, the index, the OpenAPI document) gets a strong tag made from its bytes and
  its representation, `"<format>-<digest>"`: each representation has its own, and it changes
  exactly when the bytes do (the HTML of an old version names the latest, so its tag changes
  when a new version is written). `conditional` adds it and answers 304 or 412.
"""

import hashlib
import re
from datetime import datetime

from flask import Flask, Response, request

from service.representations.formats import suffix_of
from service.web.errors import problem

READS = ("GET", "HEAD")
STAR = "*"
# One list element: an entity-tag (RFC 9110 8.8.3) or nothing (empty elements are allowed).
ELEMENT = re.compile(r'[ \t]*((?:W/)?"[\x21\x23-\x7e\x80-\xff]*")?[ \t]*(?:,|$)')
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# Headers a 304 repeats from the 200 it stands for (RFC 9110 15.4.5).
KEPT_BY_304 = ("ETag", "Last-Modified", "Vary", "Cache-Control", "Expires", "Content-Location")
KEPT_WITH_ETAG = tuple(name for name in KEPT_BY_304 if name != "Last-Modified")


def entity_tags(field: str) -> list[str] | None:
    """The entity-tags an If-Match or If-None-Match field lists, [STAR] for `*`; None when
    the field is not valid (it then matches nothing)."""
    if field.strip(" \t") == STAR:
        return [STAR]
    tags, position = [], 0
    while position < len(field):
        element = ELEMENT.match(field, position)
        if element is None or element.end() == position:
            return None
        if element.group(1):
            tags.append(element.group(1))
        position = element.end()
    return tags


def unquoted(name: str) -> str | None:
    """Why a write's If-Match or If-None-Match is not a list of entity-tags (`8` for `"8"`),
    else None. Such a field matches nothing, so it would be a 412 that hides the typo."""
    field = request.headers.get(name)
    if field is None or entity_tags(field) is not None:
        return None
    return (
        f"{name} takes entity-tags in double quotes, exactly as the ETag header gives them "
        f'(If-Match: "8", not If-Match: 8), or *.'
    )


def strong_match(a: str, b: str) -> bool:
    return a == b and not a.startswith("W/")


def weak_match(a: str, b: str) -> bool:
    return a.removeprefix("W/") == b.removeprefix("W/")


def listed(field: str, etag: str | None, exists: bool, strong: bool) -> bool:
    """Whether `field` names the current representation (`etag`; `exists`: there is one)."""
    tags = entity_tags(field) or []
    if tags == [STAR]:
        return exists
    if etag is None:
        return False
    same = strong_match if strong else weak_match
    return any(same(tag, etag) for tag in tags)


def evaluate(
    etag: str | None, *, exists: bool | None = None, last_modified: datetime | None = None
) -> int | None:
    """RFC 9110 13.2.2: None when the request may proceed, else 412 or (GET, HEAD) 304.

    `etag`: the entity-tag of the current state (a tombstone's included, so a client that saw
    the 410 can name it); `exists`: whether there is a current representation (default: there
    is one when there is a tag); `last_modified`: for the date conditions.
    """
    environ = request.environ
    if exists is None:
        exists = etag is not None
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if not listed(if_match, etag, exists, strong=True):
            return 412
    elif last_modified is not None and environ.get("HTTP_IF_UNMODIFIED_SINCE"):
        since = request.if_unmodified_since  # None when not a valid HTTP-date: ignored
        if since is not None and last_modified > since:
            return 412
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    read = request.method in READS
    if if_none_match is not None:
        if listed(if_none_match, etag, exists, strong=False):
            return 304 if read else 412
    elif read and last_modified is not None and environ.get("HTTP_IF_MODIFIED_SINCE"):
        since = request.if_modified_since
        if since is not None and last_modified <= since:
            return 304
    return None


def not_modified(headers) -> Response:
    """The 304 standing for a 200 with these headers: those RFC 9110 15.4.5 asks for, and
    Last-Modified only when there is no ETag (the tag is what a cache revalidates with)."""
    kept = KEPT_BY_304 if "ETag" not in headers else KEPT_WITH_ETAG
    return Response(status=304, headers={name: headers[name] for name in kept if name in headers})


def read_failed(etag: str) -> Response:
    """The 412 of a read whose If-Match or If-Unmodified-Since is false."""
    return problem(
        412,
        "Precondition Failed",
        f"The representation's current ETag is {etag}; If-Match (compared strongly) or "
        "If-Unmodified-Since did not hold.",
        type_="precondition-failed",
        headers={"ETag": etag},
    )


def answer(outcome: int, headers) -> Response:
    """The answer to a read whose preconditions gave `outcome` (304 or 412)."""
    return not_modified(headers) if outcome == 304 else read_failed(headers["ETag"])


def content_tag(data: bytes, mimetype: str | None, links: str | None = None) -> str:
    """A strong entity-tag for these bytes in this representation (with these paging links:
    a 304 does not repeat Link, so a page whose links moved is not the page a cache holds)."""
    suffix = suffix_of(mimetype or "") or re.sub(r"[^a-z0-9]+", "-", (mimetype or "data"))
    digest = hashlib.sha256(data)
    if links:
        digest.update(b"\nLink: " + links.encode("latin-1", "replace"))
    return f'"{suffix}-{digest.hexdigest()[:24]}"'


def conditional(response: Response) -> Response:
    """Give every successful answer to a GET a validator, and evaluate the preconditions.

    Answers that carry their own ETag keep it (a version's JSON); files sent by the framework
    and answers never to be stored (no-store) are left alone.
    """
    if request.method not in READS or response.status_code != 200:
        return response
    if response.is_streamed or response.direct_passthrough:
        return response
    if "no-store" in response.headers.get("Cache-Control", ""):
        return response
    etag = response.headers.get("ETag")
    if etag is None:
        data, links = response.get_data(), response.headers.get("Link")
        etag = response.headers["ETag"] = content_tag(data, response.mimetype, links)
    environ = request.environ
    if not any(name in environ for name in CONDITIONAL_HEADERS):
        return response
    outcome = evaluate(etag, last_modified=response.last_modified)
    return response if outcome is None else answer(outcome, response.headers)


def init_app(app: Flask) -> None:
    """Register last, so it runs first among the after-request hooks: the others (security
    headers, CORS, the request id) then decorate the 304 or 412 as they would the 200."""
    app.after_request(conditional)
