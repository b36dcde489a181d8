"""Releases: admins freeze the model under a name; anyone reads it back with ?release=."""

from flask import Response, current_app
from flask_smorest import abort
from marshmallow import RAISE

from schemas.query import FormatQueryArgsSchema
from schemas.release import (
    ReleasePageSchema,
    ReleaseQueryArgsSchema,
    ReleaseRequestSchema,
    ReleaseSchema,
)
from service import store
from service.ops import limits, snapshots
from service.ops.edge import Blueprint
from service.representations.respond import page_response, represent
from service.web import auth
from service.web.db import get_db
from service.web.http import decode_cursor, dumps
from service.web.openapi import NEGOTIATES, TAKES_JSON, TAKES_QUERY, WRITES, contract

blp = Blueprint(
    "releases",
    __name__,
    url_prefix="/releases",
    description="Named snapshots of the model that never change.",
)


def release_document(release: store.Release, manifest: dict | None = None) -> dict:
    document = {
        "name": release.name,
        "created_at": release.created_at,
        "author": release.author,
        "description": release.description,
        "seq": release.seq,
        "links": {"self": f"/releases/{release.name}"},
    }
    if manifest is not None:
        document["manifest"] = manifest
    return document


@blp.route("")
@contract(
    "listReleases",
    "List releases by name",
    errors=NEGOTIATES + TAKES_QUERY,
    headers=("Link",),
    formats="releases",
    conditional=True,
)
@blp.arguments(ReleaseQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ReleasePageSchema)
def list_releases(args):
    """List releases by name."""
    limit = args["limit"]
    rows = store.list_releases(get_db(), after=decode_cursor(args.get("cursor")), limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return page_response(
        "releases", [release_document(r) for r in rows], rows[-1].name if more else None
    )


@blp.route("/<string:name>")
@contract(
    "getRelease",
    "Read a release with its manifest of kind/id to version",
    errors=NEGOTIATES + (404,) + TAKES_QUERY,
    formats="release",
    conditional=True,
)
@blp.arguments(FormatQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ReleaseSchema)
def read_release(_args, name):
    """Read a release with its manifest of kind/id -> version."""
    release = store.get_release(get_db(), name)
    if release is None:
        abort(404, message=f"No release '{name}'.")
    document = release_document(release, store.release_manifest(get_db(), name))
    # A release never changes, so caches may keep it for good.
    return represent(
        "release", document, headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )


@blp.route("/<string:name>/snapshot")
@contract(
    "getReleaseSnapshot",
    "Download a release as one immutable SQLite file (what read replicas serve)",
    errors=(404, 412),
    headers=("ETag", "Last-Modified"),
    conditional=True,
)
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type=snapshots.MIMETYPE,
    description="The whole model as of the release, as one SQLite file.",
)
def read_release_snapshot(name):
    """Download a release as an immutable SQLite file (what read replicas serve)."""
    if not store.release_exists(get_db(), name):
        abort(404, message=f"No release '{name}'.")
    if not snapshots.valid_name(name):  # made before names were checked, e.g. `current`
        abort(404, message=f"Release '{name}' has a name no replica may use; publish another.")
    path = snapshots.find_or_take(get_db(), snapshots.directory(current_app), name)
    if path is None:
        abort(
            404,
            message=f"Release '{name}' has no snapshot: it predates snapshots and the "
            "model has changed since, so one cannot be made now. Publish a new release.",
        )
    return snapshots.send(path, name)


@blp.route("", methods=["POST"])
@contract(
    "createRelease",
    "Freeze the live model under a new release name (admin role)",
    errors=WRITES + TAKES_JSON + (409,),
    headers=("Location",),
    public=False,
    ok=201,
)
@blp.arguments(ReleaseRequestSchema, unknown=RAISE)
@blp.response(201, ReleaseSchema)
@blp.doc(security=[{"bearer": []}])
def create_release(data):
    """Freeze the live model under a new release name (admin)."""
    token = auth.require("admin")
    limits.charge_write(token)
    try:
        release = store.create_release(get_db(), data["name"], token.name, data["description"])
    except store.Conflict:
        abort(409, message=f"A release named '{data['name']}' exists; releases never change.")
    snapshots.take(get_db(), snapshots.directory(current_app), release)
    document = release_document(release, store.release_manifest(get_db(), release.name))
    return Response(
        dumps(document),
        201,
        mimetype="application/json",
        headers={"Location": f"/releases/{release.name}"},
    )
