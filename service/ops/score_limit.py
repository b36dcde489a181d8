"""A rate limit on scoring: controls scored per client and period, a batch counted by its size.

POST /score, /score/batch, /score/compare and /score/form need no token, and a batch's answer
is about fifty times its request, so each client may score SCORE_RATE_LIMIT controls per period
(env FRAMINGS_SCORE_RATE_LIMIT, default 6000/minute; "off" disables it). Past it: 429 with
Retry-After. The count is taken in front of the answer memo (web/memo.py), which would otherwise
answer a repeated score without the app, and kept in a small SQLite file of its own beside the
database (`rate-limits.db`), shared by every worker and writable on a read replica too.

The client is the connection's address; when that is a trusted proxy (FRAMINGS_TRUSTED_PROXIES,
e.g. nginx's address), the address the proxy appended to X-Forwarded-For, its last entry.
"""

import io
import json
import math
import threading
from pathlib import Path

from flask import Flask, request
from flask_smorest import abort
from werkzeug.sansio.utils import get_content_length

from service import config, store
from service.ops import limits

DEFAULT_LIMIT = "6000/minute"
PREFIX = "/score"
REFUSED = "framings.score_retry_after"  # in the WSGI environ: seconds until the client may retry
COUNTERS = "rate-limits.db"


def client_of(environ: dict, trusted: frozenset[str]) -> str:
    """The client's address, seen through a trusted proxy's X-Forwarded-For."""
    remote = environ.get("REMOTE_ADDR", "")
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if remote in trusted and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return remote


def body_of(environ: dict, limit: int) -> bytes:
    """The request body (at most `limit` + 1 bytes), put back for the app to read whole."""
    stream = environ["wsgi.input"]
    length = get_content_length(environ.get("CONTENT_LENGTH"))
    try:
        if length is not None and "HTTP_TRANSFER_ENCODING" not in environ:
            data = stream.read(min(length, limit + 1))
            rest = stream if length > limit else None
        else:  # chunked: gunicorn ends the stream at the body's end
            data = stream.read(limit + 1)
            rest = stream
    except Exception as error:  # noqa: BLE001 - a malformed chunk: the app answers it (400)
        environ["wsgi.input"] = Unreadable(error)
        return b""
    environ["wsgi.input"] = Chained(data, rest) if rest is not None else io.BytesIO(data)
    return data


class Unreadable(io.RawIOBase):
    """A body that failed to read: reading it again raises the same error for the app."""

    def __init__(self, error: Exception):
        self.error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise self.error

    def read(self, *_args):
        raise self.error

    readline = read


class Chained(io.RawIOBase):
    """What was read first, then the rest of the original stream."""

    def __init__(self, head: bytes, rest):
        self.head, self.rest = io.BytesIO(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.head.read(len(buffer)) or self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def cost_of(body: bytes) -> int:
    """Controls a scoring request asks for: those in `controls` (batch, compare), else one."""
    try:
        controls = json.loads(body).get("controls")
    except (ValueError, AttributeError, RecursionError):
        return 1
    return max(1, len(controls)) if isinstance(controls, dict | list) else 1


class ScoreLimit:
    """WSGI middleware in front of the memo: counts scoring POSTs, sends refusals to the app."""

    def __init__(self, app: Flask, outer, inner):
        self.app, self.outer, self.inner = app, outer, inner
        self.local = threading.local()

    def counters(self) -> store.Database:
        if getattr(self.local, "db", None) is None:
            self.local.db = store.open_counters(str(counters_path(self.app)))
        return self.local.db

    def __call__(self, environ: dict, start_response):
        limit = limits.parse(self.app.config["SCORE_RATE_LIMIT"])
        if (
            limit is None
            or environ.get("REQUEST_METHOD") != "POST"
            or not environ.get("PATH_INFO", "").startswith(PREFIX)
        ):
            return self.outer(environ, start_response)
        allowed, period = limit
        body = body_of(environ, self.app.config.get("MAX_CONTENT_LENGTH") or 1 << 20)
        trusted = frozenset(p.strip() for p in self.app.config["TRUSTED_PROXIES"].split(","))
        client = client_of(environ, trusted)
        now = limits.clock()
        started, used = store.count_write(
            self.counters(), f"score {client}", now, period, cost_of(body)
        )
        if used <= allowed:
            return self.outer(environ, start_response)
        environ[REFUSED] = (max(1, math.ceil(started + period - now)), allowed, period)
        return self.inner(environ, start_response)  # past the memo: the app says no


def counters_path(app: Flask) -> Path:
    """Beside the database (on a replica, beside its serving link: never inside releases/)."""
    return Path(app.config["DATABASE"]).parent / COUNTERS


def refuse_if_over() -> None:
    """429 with Retry-After for a request the middleware found over the limit."""
    refused = request.environ.get(REFUSED)
    if refused is None:
        return
    retry_after, allowed, period = refused
    abort(
        429,
        message=f"At most {allowed} controls scored per {period:g} s for each client (a batch "
        f"counts each of its controls); retry in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


def init_app(app: Flask) -> None:
    """The settings, and the refusal as the first hook of a scoring request."""
    app.config.setdefault("SCORE_RATE_LIMIT", config.score_rate_limit(DEFAULT_LIMIT))
    app.config.setdefault("TRUSTED_PROXIES", config.trusted_proxies())
    limits.parse(app.config["SCORE_RATE_LIMIT"])  # a malformed limit stops the start
    app.before_request(refuse_if_over)


def install(app: Flask, inner) -> None:
    """In front of everything (after memo.install); `inner`: the app without the memo."""
    app.wsgi_app = ScoreLimit(app, app.wsgi_app, inner)
