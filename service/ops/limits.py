"""Limits: on request bodies (size, JSON nesting) and on how often each token may write.

Write counters live in SQLite (store.count_write), not in process memory, because gunicorn runs
several workers: a per-process count would let a token write N times per worker. A window opens
at a token's first write and lasts the configured period; a rejected write does not extend it.
Configure with WRITE_RATE_LIMIT (env FRAMINGS_WRITE_RATE_LIMIT), e.g. "60/minute",
"1000/hour", "5/10seconds"; "off" disables the limit.
"""

import math
import re
import time
from itertools import accumulate

from flask import Flask, current_app, request
from flask_smorest import abort
from werkzeug.exceptions import HTTPException

from service import config, store
from service.web.db import get_db

DEFAULT_LIMIT = "60/minute"
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)?\s*(second|minute|hour|day)s?\s*$")
clock = time.time  # a module attribute, so tests can move time instead of sleeping

MAX_JSON_DEPTH = 100
BODY_METHODS = ("POST", "PUT", "PATCH")
# A JSON string (escapes included), written so that matching it never backtracks.
JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Openers become 1 and closers -1 (as signed bytes), so a running sum is the nesting depth.
BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def parse(spec: str) -> tuple[int, float] | None:
    """(writes, seconds) from e.g. '60/minute' -> (60, 60.0); None for 'off'; else ValueError."""
    if spec.strip().lower() in ("off", "none", ""):
        return None
    match = PATTERN.match(spec.lower())
    if match is None or int(match.group(1)) < 1:
        raise ValueError(f"WRITE_RATE_LIMIT must look like '60/minute' or 'off', not {spec!r}")
    count, multiple, unit = match.groups()
    return int(count), float(int(multiple or 1) * UNITS[unit])


def init_app(app: Flask) -> None:
    """Take the limit from the environment unless given, and refuse a malformed one at start."""
    app.config.setdefault("WRITE_RATE_LIMIT", config.write_rate_limit(DEFAULT_LIMIT))
    parse(app.config["WRITE_RATE_LIMIT"])
    app.before_request(check_body)


def json_depth(data: bytes) -> int:
    """How deeply a JSON text nests arrays and objects (brackets inside strings not counted)."""
    steps = JSON_STRING.sub(b"", data).translate(BRACKET_STEPS, NOT_BRACKETS)
    return max(accumulate(memoryview(steps).cast("b")), default=0)


def too_deep(data: bytes) -> bool:
    """json_depth(data) > MAX_JSON_DEPTH; bodies with few brackets at all are counted fast."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH:
        return False  # each level opens with one of these, so it cannot nest deeper
    return json_depth(data) > MAX_JSON_DEPTH


def check_body() -> None:
    """413 for a streamed body past MAX_CONTENT_LENGTH, 400 for JSON nested too deeply.

    Werkzeug refuses a too-long Content-Length itself, but silently cuts a chunked body at the
    limit; it only raises once more is read. Python's JSON parser and the merge-patch code
    recurse once per level, so a deep enough body would end in a RecursionError: a 500.
    """
    method = request.method
    if method not in BODY_METHODS and not request.environ.get("CONTENT_TYPE"):
        return  # the usual read: no body to stream, and not JSON (is_json needs a type)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is None and limit and method in BODY_METHODS:
        if len(read_body()) >= limit:
            request.stream.read(1)  # at the limit: raises RequestEntityTooLarge (413)
    if request.is_json and too_deep(read_body()):
        abort(
            400,
            message=f"The JSON body nests arrays and objects more than {MAX_JSON_DEPTH} "
            "levels deep.",
        )


def read_body() -> bytes:
    """The whole body, kept for later reads; a 400 when it cannot be read.

    gunicorn decodes a chunked body while the app reads it, so a malformed chunk ("zz" as a
    chunk size, a missing terminator) raises its own parse error here, not before the app.
    """
    try:
        return request.get_data(cache=True)
    except HTTPException:
        raise  # 413 and the like say what they are
    except Exception:  # noqa: BLE001 - the server's body reader raises its own types
        abort(
            400,
            message="The request body could not be read: its chunked transfer coding is "
            "malformed or it ended early.",
            type="malformed-body",
        )


def charge_write(token: store.Token) -> None:
    """Count one write by `token`; 429 with Retry-After once it is over its limit."""
    limit = parse(current_app.config.get("WRITE_RATE_LIMIT", DEFAULT_LIMIT))
    # A read-only replica refuses writes elsewhere and could not store a count anyway.
    if limit is None or current_app.config.get("READ_ONLY"):
        return
    allowed, period = limit
    now = clock()
    started_at, count = store.count_write(get_db(), token.name, now, period)
    if count > allowed:
        retry_after = max(1, math.ceil(started_at + period - now))
        abort(
            429,
            message=f"At most {allowed} writes per {period:g} s for each token; retry in "
            f"{retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
