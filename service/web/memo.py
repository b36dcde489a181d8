"""Whole answers kept below Flask: a request seen before, against an unchanged database, gets
the bytes the app gave it, without running the app (issue 13; bench/README.md, round 6).

Why a kept answer is the app's answer:
- A route declares that its answers may be kept (`@keeps_answers`, in service/api/) only where
  they are a function of the request and of what the database holds, and in which formats: the
  JSON of a version (or its 304), a JSON list page, a JSON score. Nothing else is kept: HTML
  pages mark review dates overdue as of today, /review and /health read the clock. Every
  request the memo does not answer goes through the one Flask pipeline, every hook included.
- The key is the whole request: method, path, query, body, content type, scheme, server and
  every header but the few no code reads (UNREAD_HEADERS: User-Agent, X-Forwarded-For,
  Connection, X-Request-Id), so no header a hook or view reads (Accept, Origin,
  If-None-Match, Authorization...) can be missed.
- Each answer is kept with the database's change mark (its file, latest change sequence and
  number of releases: versions and releases are only ever added), read before the app runs,
  and given again only while the mark is unchanged. A write in any worker moves it.
- X-Request-Id is chosen anew for each answer by the app's own function (ops/request_id).
- Only 200 and 304 answers are kept; an error is answered by the app every time.
- GET and HEAD are looked at; a POST only on a route without path arguments that declared its
  answers may be kept (POST /score), keyed by its body too, and kept from its second sighting
  (a stream of controls each scored once would only push repeated answers out).
"""

import functools
import io
from typing import NamedTuple

from flask import Flask, request
from werkzeug.sansio.utils import get_content_length

from service import store
from service.cache import LRU
from service.ops import request_id
from service.web import db

FLAG = "framings.memo"  # in the WSGI environ: the formats a route's answers may be kept in
FORMAT = "framings.format"  # in the WSGI environ: the format negotiated (web/http.py)
KEPT_STATUSES = ("200 OK", "304 NOT MODIFIED")
MAX_BODY = 64 * 1024  # a kept POST's request body, at most (larger ones are never kept)
MAX_ANSWER = 256 * 1024  # larger answers are never kept
SIZE = 8 * 1024 * 1024  # bytes of answers kept per app and process
# Headers no hook or view reads (tests/api/test_memo.py checks both the answers and the
# source), left out of the key so answers are shared across clients behind a proxy: the
# client's software, its address as the proxy saw it, the hop's connection options, and the
# request id (chosen anew for each answer).
UNREAD_HEADERS = frozenset(
    {"HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_CONNECTION", "HTTP_X_REQUEST_ID"}
)


def keeps_answers(formats: tuple[str, ...] = ("json",)):
    """Declare that a view's answers in `formats` (as negotiated) are a function of the request
    and the database alone, so the memo may give them again while the database is unchanged."""

    def declare(view):
        @functools.wraps(view)
        def declared(*args, **kwargs):
            request.environ[FLAG] = formats
            return view(*args, **kwargs)

        declared.keeps_answers = formats
        return declared

    return declare


def vouched(environ: dict) -> bool:
    """Whether the route that answered declared its answers may be kept in the format given."""
    return environ.get(FORMAT) in environ.get(FLAG, ())


def kept_posts(app: Flask) -> frozenset[str]:
    """The paths of the POST routes (without path arguments) that declared keeps_answers."""
    return frozenset(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and not rule.arguments
        and getattr(app.view_functions.get(rule.endpoint), "keeps_answers", None)
    )


class Kept(NamedTuple):
    """One answer as the app gave it, with the change mark it was computed under."""

    mark: tuple
    status: str
    headers: list
    body: bytes

    def sent(self, environ: dict, start_response) -> list[bytes]:
        """Start the answer as kept, with a new X-Request-Id."""
        headers = [
            (name, request_id.choose(environ)) if name == request_id.HEADER else (name, value)
            for name, value in self.headers
        ]
        start_response(self.status, headers)
        return [self.body]


def request_shape(environ: dict) -> tuple:
    """Everything about a request but its body and the headers the app never reads."""
    headers = tuple(
        (name, value)
        for name, value in environ.items()
        if name.startswith("HTTP_") and name not in UNREAD_HEADERS
    )
    get = environ.get
    return (
        get("REQUEST_METHOD"),
        get("SCRIPT_NAME", ""),
        get("PATH_INFO", ""),
        get("QUERY_STRING", ""),
        get("CONTENT_TYPE", ""),
        get("wsgi.url_scheme"),
        get("SERVER_NAME"),
        get("SERVER_PORT"),
        headers,
    )


def has_body(environ: dict) -> bool:
    """Whether a request says it carries a body (the edge decodes a read's JSON body too)."""
    return environ.get("CONTENT_LENGTH") not in (None, "", "0") or (
        "HTTP_TRANSFER_ENCODING" in environ
    )


def read_body(environ: dict, limit: int | None) -> bytes | None:
    """The body of a request with a Content-Length (as Werkzeug reads it) below MAX_BODY and
    the app's `limit` (MAX_CONTENT_LENGTH), put back for the app to read; None (nothing read)
    for any other, chunked ones included."""
    if "HTTP_TRANSFER_ENCODING" in environ:
        return None
    length = get_content_length(environ.get("CONTENT_LENGTH"))
    if length is None or not 0 < length < min(MAX_BODY, limit or MAX_BODY):
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


class AnswerMemo:
    """WSGI middleware over `app.wsgi_app`: kept answers first, then the app."""

    def __init__(self, app: Flask, wsgi_app, size: int = SIZE):
        self.app = app
        self.wsgi_app = wsgi_app
        self.answers = LRU(size, weight=lambda kept: len(kept.body) + 512)
        self.posts: frozenset[str] | None = None  # kept_posts(app), once the routes are in
        # POST answers are kept from their second sighting on: a stream of controls each
        # scored once (tools scoring thousands) would only push repeated answers out.
        self.seen = LRU(4096)  # hash((shape, body)) of POST answers given once

    def mark(self) -> tuple:
        """Names what the database holds now: its file, latest change and release count."""
        slot = db.slot_of(self.app)
        return (slot.key, *store.change_mark(slot.db))

    def __call__(self, environ: dict, start_response):
        method = environ.get("REQUEST_METHOD")
        if self.posts is None:
            self.posts = kept_posts(self.app)
        post = method == "POST" and environ.get("PATH_INFO") in self.posts
        body = b""
        if post:
            body = read_body(environ, self.app.config.get("MAX_CONTENT_LENGTH"))
        elif method not in ("GET", "HEAD") or has_body(environ):
            return self.wsgi_app(environ, start_response)  # a read's body is never keyed
        if body is None:
            return self.wsgi_app(environ, start_response)
        try:
            mark = self.mark()
        except Exception:  # noqa: BLE001 - no database to name: the app answers (and says why)
            return self.wsgi_app(environ, start_response)
        shape = request_shape(environ)
        kept = self.answers.get((shape, body))
        if kept is not None and kept.mark == mark:
            return kept.sent(environ, start_response)
        return self.through_app(environ, start_response, (shape, body), mark, post)

    def first_sighting(self, key: tuple) -> bool:
        """Whether a POST's request is seen for the first time (a hash collision can only keep
        an answer sooner: the answer is kept under its whole request)."""
        if self.seen.get(hash(key)) is None:
            self.seen.put(hash(key), True)
            return True
        return False

    def through_app(self, environ, start_response, key: tuple, mark, post: bool) -> list:
        """The app's answer; kept when its route declared it may be."""
        started = []

        def start(status, headers, exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, start)
        if not vouched(environ) or not started or started[0][0] not in KEPT_STATUSES:
            return result
        if post and self.first_sighting(key):
            return result
        try:
            answer = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = started[0]
        if len(answer) <= MAX_ANSWER:
            self.answers.put(key, Kept(mark, status, list(headers), answer))
        return [answer]


def install(app: Flask) -> None:
    """Put the memo in front of the app (config ANSWER_MEMO_BYTES; 0 or less turns it off)."""
    size = app.config.setdefault("ANSWER_MEMO_BYTES", SIZE)
    if size > 0:
        app.wsgi_app = AnswerMemo(app, app.wsgi_app, size)
