"""One answer, several representations: JSON by default, Markdown, HTML and CSV where registered.

A view hands `represent` a shape name and its JSON-ready data; renderers for other formats
register themselves per (shape, format) and receive the same data plus a context.

The JSON form of a version is also kept, encoded, per process (EncodedVersions below): a
version never changes once written, so encoding it once serves every later read of it.
"""

import dataclasses
from typing import NamedTuple

from flask import Response

from schemas.timeutil import http_date
from service import store
from service.cache import LRU
from service.representations.formats import formats_of, media_type, render
from service.store import Version
from service.web.db import connection_number, get_db
from service.web.http import (
    dumps,
    dumps_bytes,
    encoded_json_response,
    envelope,
    json_response,
    last_modified,
    negotiate,
    next_link,
    validators,
)
from service.web.preconditions import answer, evaluate


def rendered(
    shape: str, fmt: str, data, status: int, headers: dict, context: dict | None
) -> Response:
    """The `fmt` (not JSON) form of `data`."""
    text = render(shape, fmt, data, context)
    response = Response(text, status, headers=headers, mimetype=media_type(fmt))
    response.charset = "utf-8"
    return response


def represent(
    shape: str, data, *, status: int = 200, headers: dict | None = None, context: dict | None = None
) -> Response:
    """Answer `data` in the format the client asked for; 406 when the shape lacks it."""
    fmt = negotiate(formats_of(shape))
    headers = {**(headers or {}), "Vary": "Accept"}
    if fmt == "json":
        return json_response(data, status, headers)
    return rendered(shape, fmt, data, status, headers, context)


# --- versions, and their JSON kept encoded ---


# The body of a version taken from the cache: not kept there (only its encoded envelope is), so
# anything that needs the body loads the version again (see loaded). Never JSON-encodable, so
# a slip fails loudly rather than answering without the body.
class NotLoaded:
    def __repr__(self) -> str:
        return "NOT_LOADED"


NOT_LOADED = NotLoaded()
MAX_BYTES = 16 * 1024 * 1024  # per process; a version's envelope is a few KB
MAX_ENTRY_BYTES = 256 * 1024  # larger envelopes are encoded on every read, as before


class Encoded(NamedTuple):
    version: Version  # its metadata; body is NOT_LOADED
    json: bytes  # dumps(envelope(version)) in UTF-8


class EncodedVersions(LRU):
    """An LRU of Encoded, bounded by total size, keyed by (connection, kind, id, version).

    A version's row never changes (the database's triggers refuse UPDATE and DELETE), so
    within one connection, and so one database file (see db.connection_number), the key
    names one envelope forever. Connection numbers are unique within a process, whatever the
    app, so one cache serves every app in the process.
    """

    def __init__(self, max_bytes: int = MAX_BYTES):
        super().__init__(max_bytes, weight=lambda entry: len(entry.json))

    def put(self, key: tuple, entry: Encoded) -> None:
        if len(entry.json) <= MAX_ENTRY_BYTES:
            super().put(key, entry)


ENCODED_VERSIONS = EncodedVersions()


def cached_version(kind: str, id_: str, number: int) -> Encoded | None:
    """Version `number` of kind/id_ and its encoded envelope, if this process has them."""
    return ENCODED_VERSIONS.get((connection_number(), kind, id_, number))


def encoded(version: Version, connection: int | None = None) -> bytes:
    """dumps(envelope(version)) in UTF-8, from the cache or encoded (and kept) now.

    `connection`: connection_number(), when the caller has it already.
    """
    if connection is None:
        connection = connection_number()
    key = (connection, version.kind, version.id, version.version)
    entry = ENCODED_VERSIONS.get(key)
    if entry is None:
        version = loaded(version)
        entry = Encoded(
            dataclasses.replace(version, body=NOT_LOADED), dumps_bytes(envelope(version))
        )
        ENCODED_VERSIONS.put(key, entry)
    return entry.json


def loaded(version: Version) -> Version:
    """The version with its body: loaded again if it came from the cache without it, decoded
    if it was read as text (store.Undecoded)."""
    if isinstance(version.body, store.Undecoded):
        return dataclasses.replace(version, body=version.body.decoded())
    if version.body is not NOT_LOADED:
        return version
    again = store.get_version(get_db(), version.kind, version.id, version.version)
    assert again is not None, "a version that was read is never removed"
    return again


def json_preconditions(version: Version) -> tuple[dict, Response | None]:
    """The JSON of `version`: its headers, and the 304 (or 412) its preconditions call for
    (None when the request may proceed). Decided from the version's metadata alone."""
    headers = {**validators(version), "Vary": "Accept"}
    outcome = evaluate(headers["ETag"], last_modified=last_modified(version))
    return headers, (None if outcome is None else answer(outcome, headers))


def version_response(version: Version, json: bytes | None = None) -> Response:
    """One version in the negotiated representation, with its validators; 304 (or 412) when
    the preconditions say so.

    `json` is the version's encoded envelope when the caller has it (see cached_version). The
    JSON's tag is the version's, decided from its metadata alone, so a revalidation neither
    loads nor encodes the body. Other representations get a tag from their bytes (see
    preconditions.conditional): the HTML also names the latest version, so it changes when
    that does, and so does its Last-Modified.
    """
    fmt = negotiate(formats_of("version"))
    if fmt == "json":
        headers, settled = json_preconditions(version)
        if settled is not None:
            return settled
        return encoded_json_response(json or encoded(version), 200, headers)
    version = loaded(version)
    modified = version.recorded_at
    if fmt == "html":  # the page says which version is the latest: it changed when that did
        head = store.get_current(get_db(), version.kind, version.id)
        modified = max(modified, head.recorded_at) if head is not None else modified
    headers = {"Last-Modified": http_date(modified), "Vary": "Accept"}
    return rendered("version", fmt, envelope(version), 200, headers, {"version": version})


def page_response(shape: str, items: list[dict], next_position, context: dict | None = None):
    """A page as {"items", "next"} with a Link rel="next" header when there is more."""
    url, headers = next_link(next_position)
    return represent(shape, {"items": items, "next": url}, headers=headers, context=context)


def versions_page_response(
    shape: str, versions: list[Version], next_position, context: dict | None = None
) -> Response:
    """page_response of the versions' envelopes; in JSON, spliced from their encoded forms.

    dumps({"items": [a, b], "next": n}) is '{"items":[' + dumps(a) + ',' + dumps(b) + '],"next":'
    + dumps(n) + '}' (no spaces, keys in this order), so the splice is the same text.
    """
    url, headers = next_link(next_position)
    fmt = negotiate(formats_of(shape))
    headers = {**headers, "Vary": "Accept"}
    if fmt == "json":
        connection = connection_number()
        items = b",".join(encoded(version, connection) for version in versions)
        text = b'{"items":[' + items + b'],"next":' + dumps(url).encode() + b"}"
        return encoded_json_response(text, 200, headers)
    data = {"items": [envelope(loaded(version)) for version in versions], "next": url}
    return rendered(shape, fmt, data, 200, headers, context)
