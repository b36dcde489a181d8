"""HTTP plumbing shared by the blueprints: negotiation, JSON bodies, ETags and paging."""

import base64
import binascii
import json
import re
from datetime import datetime
from urllib.parse import urlencode

import orjson
from flask import Response, request
from flask_smorest import abort

from schemas.timeutil import http_date, parse_stored
from service.ops.edge import unsafe
from service.representations import negotiation
from service.representations.formats import media_type
from service.store import Version
from service.web.memo import FORMAT


def negotiate(available: tuple[str, ...] = ("json",)) -> str:
    """Pick the representation from ?format= or Accept (RFC 9110, see negotiation.py); 406
    when none is on offer. The one place every answer's format is chosen; the choice is noted
    in the WSGI environ (memo.FORMAT: the memo keeps answers in the formats a route names)."""
    chosen = request.environ[FORMAT] = choose_format(available)
    return chosen


def choose_format(available: tuple[str, ...]) -> str:
    environ = request.environ
    if not environ.get("QUERY_STRING") and not environ.get("HTTP_ACCEPT"):
        return available[0]  # no ?format= and no Accept: what the code below picks, sooner
    wanted = request.args.get("format")
    if wanted is not None:
        if wanted not in available:
            abort(
                406,
                message=f"No '{wanted}' representation here; available: {', '.join(available)}.",
                type="not-acceptable",
            )
        return wanted
    offered = tuple(media_type(name) for name in available)
    best = negotiation.choose(environ.get("HTTP_ACCEPT", ""), offered)
    if best is None:
        abort(
            406,
            message=f"Cannot answer with {request.headers.get('Accept')}; available: "
            f"{', '.join(offered)}.",
            type="not-acceptable",
        )
    return available[offered.index(best)]


# json.dumps(data, ensure_ascii=False, separators=(",", ":")) builds this encoder on every call;
# one shared encoder writes the same text. Without the check for circular references (our data
# is decoded JSON and plain dicts and lists: it has none) encoding takes about 15% less time.
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


# orjson writes what ENCODER writes, in UTF-8 (same keys in the same order, no spaces, the
# same escapes, the same shortest float, "1e+16" included), several times faster, except for
# floats between 0 and 1e-4: the stdlib writes 1e-05 and 2.5e-07, orjson 0.00001 and 2.5e-7.
# Every such float written by orjson contains "e-<digit>" or "0.0000", so an answer holding
# either (or a string that does) is encoded by ENCODER; so are large integers, non-string keys
# and anything orjson refuses. The bytes are always ENCODER's (tests/unit/test_json_bytes.py).
# Dates and dataclasses go to `default`, which refuses them as the stdlib does. NaN and the
# infinities (the stdlib's NaN is not JSON, orjson writes null) never reach an answer: the
# schemas refuse them (schemas/common.py) and the scorer guards its one division.
ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
SMALL_EXPONENT = re.compile(rb"e-[0-9]")


def _refuse(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps_bytes(data) -> bytes:
    """ENCODER.encode(data) in UTF-8, through orjson when that gives the same bytes."""
    try:
        encoded = orjson.dumps(data, default=_refuse, option=ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError too: the stdlib answers, or raises, as it did
        return ENCODER.encode(data).encode()
    if b"0.0000" in encoded or SMALL_EXPONENT.search(encoded):
        return ENCODER.encode(data).encode()
    return encoded


def dumps(data) -> str:
    return dumps_bytes(data).decode()


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return encoded_json_response(dumps_bytes(data), status, headers)


def encoded_json_response(
    text: str | bytes, status: int = 200, headers: dict | None = None
) -> Response:
    """json_response for data already encoded (as dumps would, or its UTF-8 bytes)."""
    response = Response(text, status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def etag_of(version: Version) -> str:
    """The strong entity-tag of a version's JSON (and of the resource for If-Match): its
    number. A version's JSON never changes; other representations get their own tags
    (service/web/preconditions.py)."""
    return f'"{version.version}"'


def envelope(version: Version) -> dict:
    """The JSON form of one version: its metadata, permanent links and body."""
    base = f"/{version.kind}/{version.id}"
    return {
        "kind": version.kind,
        "id": version.id,
        "version": version.version,
        "seq": version.seq,
        "recorded_at": version.recorded_at,
        "author": version.author,
        "change_note": version.change_note,
        "deleted": version.deleted,
        "links": {
            "self": f"{base}/versions/{version.version}",
            "latest": base,
            "versions": f"{base}/versions",
        },
        "body": version.body,
    }


def validators(version: Version) -> dict:
    return {"ETag": etag_of(version), "Last-Modified": http_date(version.recorded_at)}


def last_modified(version: Version) -> datetime:
    return parse_stored(version.recorded_at)


def encode_cursor(value) -> str:
    return base64.urlsafe_b64encode(dumps({"after": value}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type = str):
    """The position a cursor stands for; a cursor we did not issue is a 422."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        position = None
    # Positions are ids (str) or version numbers (int) that SQLite can hold.
    valid = isinstance(position, kind) and not isinstance(position, bool)
    if isinstance(position, str) and unsafe(position):
        valid = False  # text SQLite cannot take (a lone surrogate): no id we issued holds it
    if not valid or (kind is int and not 0 <= position <= 2**63 - 1):
        abort(422, errors={"query": {"cursor": ["Not a cursor this API issued."]}})
    return position


def next_link(next_position) -> tuple[str | None, dict]:
    """The URL of the next page (this one with a new cursor) and its Link header."""
    if next_position is None:
        return None, {}
    # Every value of a repeated filter is kept: the next page filters as this one did.
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    query.append(("cursor", encode_cursor(next_position)))
    url = f"{request.path}?{urlencode(query)}"
    return url, {"Link": f'<{url}>; rel="next"'}


# Embeds, badges and charts: the live model can change at any write; a release never does.
LIVE_CACHE = "public, max-age=300"
FROZEN_CACHE = "public, max-age=31536000, immutable"


def chart_cache_control(point) -> str:
    """Cache-Control for a badge, embed or chart of the model at `point`."""
    return FROZEN_CACHE if point.release else LIVE_CACHE
