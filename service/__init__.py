"""Framings: the app factory."""

from flask import Flask

from service import api as routes
from service import config
from service.api import meta
from service.ops import edge, gate, limits, replica, request_id, score_limit, security
from service.representations import formats, html
from service.web import db, errors, memo, preconditions
from service.web import openapi as openapi_doc

MAX_BODY_BYTES = 1024 * 1024


def default_config() -> dict:
    return {
        "DATABASE": config.database(),
        "READ_ONLY": config.read_only(),
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "API_TITLE": "Framings",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        # Tracebacks must never reach a client, in tests included.
        "PROPAGATE_EXCEPTIONS": False,
    }


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass DATABASE)."""
    app = Flask(__name__)
    app.config.update(default_config())
    app.config.update(config or {})
    app.json.sort_keys = False
    request_id.init_app(app)
    formats.load()  # every format and renderer registered, in one place
    db.init_app(app)
    replica.init_app(app)
    score_limit.init_app(app)  # a scoring client over its limit is told so first
    gate.init_app(app)  # who asks, before what the request holds
    limits.init_app(app)
    edge.init_app(app)
    security.register(app)
    api = errors.ProblemApi(app, spec_kwargs=openapi_doc.spec_kwargs())
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    errors.register_fallback(app)
    routes.register(api)
    html.register(app)
    meta.register(app, api)
    preconditions.init_app(app)  # last: its 304s and 412s get every other hook's headers
    inner = app.wsgi_app
    memo.install(app)  # in front of everything: kept answers, below Flask
    score_limit.install(app, inner)  # counts before the memo answers
    return app
