"""Framings: the app factory."""

import os

from flask import Flask

from service import (
    db,
    edge,
    embed_routes,
    errors,
    form_routes,
    formats,
    history_routes,
    html,
    limits,
    meta,
    openapi_doc,
    preconditions,
    release_routes,
    replica,
    request_id,
    resources,
    review_routes,
    score_routes,
    security,
    write_routes,
)

MAX_BODY_BYTES = 1024 * 1024


def default_config() -> dict:
    return {
        "DATABASE": os.environ.get("FRAMINGS_DB", "var/framings.db"),
        "READ_ONLY": os.environ.get("FRAMINGS_READ_ONLY", "") == "1",
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
    assert formats.REGISTERED  # the Markdown and CSV renderers are registered on import
    db.init_app(app)
    replica.init_app(app)
    limits.init_app(app)
    edge.init_app(app)
    security.register(app)
    api = errors.ProblemApi(app, spec_kwargs=openapi_doc.spec_kwargs())
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    errors.register_fallback(app)
    resources.register(api)
    write_routes.register(api)
    api.register_blueprint(release_routes.blp)
    api.register_blueprint(score_routes.blp)
    api.register_blueprint(history_routes.blp)
    api.register_blueprint(form_routes.blp)
    api.register_blueprint(embed_routes.blp)
    api.register_blueprint(review_routes.blp)
    html.register(app)
    meta.register(app, api)
    preconditions.init_app(app)  # last: its 304s and 412s get every other hook's headers
    return app
