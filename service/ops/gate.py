"""The gate every write passes before anything else looks at it.

Order, for every POST, PUT, PATCH and DELETE outside /score (which compute and write nothing):
1. a node that takes no writes (FRAMINGS_READ_ONLY=1, or a replica, whose own hook names the
   writer) answers 405 Method Not Allowed with `Allow: GET, HEAD, OPTIONS`: the method is not
   one this node serves, whoever asks;
2. a request without a valid bearer token is a 401, before its size, media type, JSON, body or
   preconditions are looked at, so an anonymous client learns nothing about what a write needs.
The role (403), the change note and the body are checked after, by the views.
"""

from flask import Flask, current_app, request

from service.web import auth
from service.web.errors import problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POSTs under /score compute an answer and write nothing: anyone may send them.
SCORING_PREFIX = "/score"
READ_METHODS = "GET, HEAD, OPTIONS"


def is_write() -> bool:
    """A request that would change the model (or a release), on a route that exists."""
    rule = request.url_rule
    if request.method in SAFE_METHODS or rule is None:
        return False
    return not rule.rule.startswith(SCORING_PREFIX)


def check_write():
    """405 on a node that takes no writes, then 401 without a valid token."""
    if not is_write():
        return None
    if current_app.config.get("READ_ONLY"):
        return problem(
            405,
            "Method Not Allowed",
            "This node serves reads only (FRAMINGS_READ_ONLY=1); send writes to the node "
            "that takes them.",
            headers={"Allow": READ_METHODS},
        )
    auth.authenticate()
    return None


def init_app(app: Flask) -> None:
    """Before the body limits and the edge's checks of media type and JSON."""
    app.before_request(check_write)
