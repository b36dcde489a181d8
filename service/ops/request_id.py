"""X-Request-Id on every answer: the caller's own id when it is a sane token, else a new one.

The same id goes into gunicorn's access log line (read from the response header) and onto every
application log record made while the request is served (service/ops/logs.py), so one id
ties a client's report to the server's logs. A caller's id is echoed only when it is short and
plain, so it can never smuggle markup or line breaks into a log or a header.
"""

import re
import secrets

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-Id"
ENVIRON_KEY = "HTTP_X_REQUEST_ID"
SANE = re.compile(r"[A-Za-z0-9._-]{1,128}")


def choose(environ: dict) -> str:
    """The id of a request: the caller's X-Request-Id when it is a sane token, else a new one."""
    offered = environ.get(ENVIRON_KEY, "")  # request.headers.get(HEADER, ""), sooner
    return offered if SANE.fullmatch(offered) else secrets.token_hex(16)


def current() -> str | None:
    """The id of the request being served (chosen on first use), or None outside a request."""
    if not has_request_context():
        return None
    rid = g.get("request_id")
    if rid is None:
        rid = g.request_id = choose(request.environ)
    return rid


def _tag(response: Response) -> Response:
    # The id is chosen on first use: by the first log record made while serving, else here.
    # Either way it is the same id (the caller's, or one random draw), so no hook runs early
    # just to choose it.
    response.headers[HEADER] = current()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_tag)
