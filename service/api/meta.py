"""The index, health, the docs page's assets and the problem-type pages."""

from flask import Flask, send_from_directory
from flask_smorest import Blueprint, abort
from swagger_ui_bundle import swagger_ui_path

from schemas.envelope import HealthSchema, IndexSchema, ProblemTypeSchema
from service import store
from service.kinds import KINDS
from service.representations.respond import represent
from service.web.db import get_db
from service.web.errors import PROBLEM_TYPES
from service.web.http import json_response
from service.web.openapi import API_DESCRIPTION, NEGOTIATES, TAKES_QUERY, contract

blp = Blueprint("meta", __name__, description="Index, health and problem types.")


@blp.route("/")
@contract(
    "getIndex",
    "Index of the API with links to every collection",
    errors=NEGOTIATES + TAKES_QUERY,
    formats="index",
    conditional=True,
)
@blp.response(200, IndexSchema)
def index():
    """Index of the API with links to every collection."""
    collections = {
        name: {"href": f"/{name}", "description": kind.description} for name, kind in KINDS.items()
    }
    return represent(
        "index",
        {
            "name": "Framings",
            "description": API_DESCRIPTION,
            "collections": collections,
            "links": {"openapi": "/openapi.json", "docs": "/docs", "health": "/health"},
        },
    )


@blp.route("/health")
@contract("getHealth", "Liveness and the model's latest change sequence number")
@blp.response(200, HealthSchema)
def health():
    """Liveness and the model's latest change sequence number."""
    from service.scoring import SCORER_VERSION

    return json_response(
        {"status": "ok", "seq": store.max_seq(get_db()), "scorer": SCORER_VERSION},
        headers={"Cache-Control": "no-store"},
    )


@blp.route("/problems/<string:slug>")
@contract(
    "getProblemType",
    "Explain one problem type used in error answers",
    errors=(404,),
    conditional=True,
)
@blp.response(200, ProblemTypeSchema)
def problem_type(slug):
    """Explain one problem type used in error answers."""
    if slug not in PROBLEM_TYPES:
        abort(404, message=f"No problem type '{slug}'.")
    return json_response({"type": f"/problems/{slug}", "description": PROBLEM_TYPES[slug]})


def docs_asset(filename: str):
    """Swagger UI's files, served from the installed swagger-ui-bundle package (no CDN)."""
    return send_from_directory(swagger_ui_path, filename)


def register(app: Flask, api) -> None:
    api.register_blueprint(blp)
    app.add_url_rule("/docs/assets/<path:filename>", "docs_asset", docs_asset)
