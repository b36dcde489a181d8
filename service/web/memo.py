"""Whole answers kept below Flask: a request seen before, against an unchanged database, gets
the bytes the app gave it, without running the app (issue 13; bench/README.md, round 6).

Why a kept answer is the app's answer:
- A view vouches for its answer (`vouch`) only where it is a function of the request and of
  what the database holds: the JSON of a version (or its 304), a JSON list page, a JSON score.
  Nothing else is kept: HTML pages mark review dates overdue as of today, /review and /health
  read the clock, and only GET, HEAD and the lanes' POSTs are looked at.
- The key is the whole request: method, path, query, body, content type, scheme, server and
  every header but the few no code reads (UNREAD_HEADERS: User-Agent, X-Forwarded-For,
  Connection, X-Request-Id), so no header a hook or view reads (Accept, Origin,
  If-None-Match, Authorization...) can be missed.
- Each answer is kept with the database's change mark (its file, latest change sequence and
  number of releases: versions and releases are only ever added), read before the app runs,
  and given again only while the mark is unchanged. A write in any worker moves it.
- X-Request-Id is chosen anew for each answer by the app's own function (ops/request_id).
- Only 200 and 304 answers are kept; an error is answered by the app every time.

A lane answers a route's requests that differ from one the app answered only in their body (a
POST /score of a new control): the headers are those of the app's answer to that request (a
template), since every header but Content-Length and X-Request-Id is a function of what is not
the body; the lane checks the body as strictly as the app and returns the encoded answer, or
None to leave the request to the app (any error, any doubt). A lane writes nothing.
"""

import io
from collections.abc import Callable
from typing import NamedTuple

from flask import Flask, request
from werkzeug.sansio.utils import get_content_length

from service import store
from service.cache import LRU
from service.ops import request_id
from service.web import db

FLAG = "framings.memo"  # set in the WSGI environ by a view that vouches for its answer
KEPT_STATUSES = ("200 OK", "304 NOT MODIFIED")
MAX_BODY = 64 * 1024  # a lane's request body, at most (larger ones go to the app)
MAX_ANSWER = 256 * 1024  # larger answers are never kept
SIZE = 8 * 1024 * 1024  # bytes of answers kept per app and process
# (method, path) -> lane(app, environ, body, change mark)
LANES: dict[tuple[str, str], Callable] = {}
# Headers no hook or view reads (tests/api/test_memo.py checks both the answers and the
# source), left out of the key so answers are shared across clients behind a proxy: the
# client's software, its address as the proxy saw it, the hop's connection options, and the
# request id (chosen anew for each answer).
UNREAD_HEADERS = frozenset(
    {"HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_CONNECTION", "HTTP_X_REQUEST_ID"}
)


def vouch() -> None:
    """Say that this request's answer is a function of the request and the database alone."""
    request.environ[FLAG] = True


def lane(method: str, path: str):
    """Register `fn(app, environ, body, mark) -> bytes | None` as the lane of (method, path)."""

    def register(fn: Callable) -> Callable:
        LANES[(method, path)] = fn
        return fn

    return register


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

    def with_body(self, body: bytes) -> "Kept":
        """This answer (a template) with another body of the same kind, and its length."""
        headers = [
            (name, str(len(body))) if name == "Content-Length" else (name, value)
            for name, value in self.headers
        ]
        return self._replace(headers=headers, body=body)


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
    """WSGI middleware over `app.wsgi_app`: kept answers and lanes first, then the app."""

    def __init__(self, app: Flask, wsgi_app, size: int = SIZE):
        self.app = app
        self.wsgi_app = wsgi_app
        self.answers = LRU(size, weight=lambda kept: len(kept.body) + 512)
        self.templates = LRU(256)  # request shape -> Kept (a 200 of a lane's route)
        # Lanes' answers are kept from their second sighting on: a stream of controls each
        # scored once (tools scoring thousands) would only push repeated answers out.
        self.seen = LRU(4096)  # hash((shape, body)) of lanes' answers given once

    def mark(self) -> tuple:
        """Names what the database holds now: its file, latest change and release count."""
        slot = db.slot_of(self.app)
        return (slot.key, *store.change_mark(slot.db))

    def __call__(self, environ: dict, start_response):
        method = environ.get("REQUEST_METHOD")
        fast = LANES.get((method, environ.get("PATH_INFO")))
        body = b""
        if fast is not None:
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
        if fast is not None:
            answered = self.through_lane(fast, shape, mark, environ, body)
            if answered is not None:
                self.keep_repeated((shape, body), answered)
                return answered.sent(environ, start_response)
        return self.through_app(environ, start_response, shape, body, mark, fast is not None)

    def through_lane(self, fast, shape, mark, environ, body) -> Kept | None:
        """The lane's answer with the template's headers, or None for the app to answer."""
        template = self.templates.get(shape)
        if template is None or template.mark != mark:
            return None
        try:
            answer = fast(self.app, environ, body, mark)
        except Exception:  # noqa: BLE001 - a lane never answers an error: the app does
            return None
        return None if answer is None else template.with_body(answer)

    def keep_repeated(self, key: tuple, answered: Kept) -> None:
        """Keep a lane's answer the second time its request is seen (a hash collision can
        only keep an answer sooner: the answer is kept under its whole request)."""
        if self.seen.get(hash(key)) is None:
            self.seen.put(hash(key), True)
        elif len(answered.body) <= MAX_ANSWER:
            self.answers.put(key, answered)

    def through_app(self, environ, start_response, shape, body, mark, templated) -> list:
        """The app's answer; kept (and, on a lane's route, its headers) when it vouched."""
        started = []

        def start(status, headers, exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, start)
        if not environ.get(FLAG) or not started or started[0][0] not in KEPT_STATUSES:
            return result
        try:
            answer = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = started[0]
        kept = Kept(mark, status, list(headers), answer)
        if len(answer) <= MAX_ANSWER:
            self.answers.put((shape, body), kept)
            if templated and status == "200 OK":
                self.templates.put(shape, kept)
        return [answer]


def install(app: Flask) -> None:
    """Put the memo in front of the app (config ANSWER_MEMO_BYTES; 0 or less turns it off)."""
    size = app.config.setdefault("ANSWER_MEMO_BYTES", SIZE)
    if size > 0:
        app.wsgi_app = AnswerMemo(app, app.wsgi_app, size)
