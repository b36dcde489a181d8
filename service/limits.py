"""Rate limiting of writes per token: N writes per window, then 429 with Retry-After.

The counters live in SQLite (store.count_write), not in process memory, because gunicorn runs
several workers: a per-process count would let a token write N times per worker. A window opens
at a token's first write and lasts the configured period; a rejected write does not extend it.

Configure with WRITE_RATE_LIMIT (env FRAMINGS_WRITE_RATE_LIMIT), e.g. "60/minute",
"1000/hour", "5/10seconds"; "off" disables the limit.
"""

import math
import os
import re
import time

from flask import Flask, current_app
from flask_smorest import abort

from service import store
from service.db import get_db

DEFAULT_LIMIT = "60/minute"
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)?\s*(second|minute|hour|day)s?\s*$")
clock = time.time  # a module attribute, so tests can move time instead of sleeping


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
    app.config.setdefault(
        "WRITE_RATE_LIMIT", os.environ.get("FRAMINGS_WRITE_RATE_LIMIT", DEFAULT_LIMIT))
    parse(app.config["WRITE_RATE_LIMIT"])


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
        abort(429, message=f"At most {allowed} writes per {period:g} s for each token; retry in "
              f"{retry_after} s.", headers={"Retry-After": str(retry_after)})
