"""Read endpoints shared by every kind: lists, the latest version, history, one version."""

from flask import Response, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

from schemas.envelope import PageSchema, VersionSchema
from schemas.query import FormatQueryArgsSchema, PointQueryArgsSchema, VersionsQueryArgsSchema
from service import store
from service.kinds import Kind
from service.ops.replica import serving_release
from service.representations.respond import (
    cached_version,
    early_revalidation,
    version_response,
    versions_page_response,
)
from service.web.db import get_db
from service.web.http import decode_cursor
from service.web.parsing import EmptyQueryFastPath
from service.web.reads import current_or_error, point_from, visible_or_error
from service.web.routing import per_kind

LATEST = store.Point()


class ReadArgumentsParser(EmptyQueryFastPath, FlaskParser):
    """webargs' parser, with a shortcut for the usual read: no query string at all."""


class ReadBlueprint(Blueprint):
    ARGUMENTS_PARSER = ReadArgumentsParser()


def read_one(kind: Kind, id_: str, point: store.Point) -> Response:
    """The answer to a read of one resource at `point`.

    For the latest version, one primary-key lookup of the head's version number comes first:
    when this process has that version encoded already, its body is neither loaded nor decoded
    (versions never change, see representations.EncodedVersions). Revalidations (304) of a
    cached version are decided from its metadata alone.
    """
    if point == LATEST:
        number = store.head_version(get_db(), kind.name, id_)
        cached = cached_version(kind.name, id_, number) if number is not None else None
        if cached is not None:
            version = visible_or_error(kind, id_, point, cached.version)
            return version_response(version, cached.json)
    return version_response(current_or_error(kind, id_, point))


def list_page(kind: Kind, args: dict) -> Response:
    """One page of live resources of a kind, filtered and cursor-paged by id."""
    filters = {name: (*kind.filters[name], args[name]) for name in kind.filters if name in args}
    limit = args["limit"]
    rows = store.list_current(
        get_db(),
        kind.name,
        point_from(args),
        filters=filters,
        after=decode_cursor(args.get("cursor")),
        limit=limit + 1,
        decode=False,  # most envelopes are kept encoded: decoded only on a miss (`encoded`)
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return versions_page_response("page", rows, rows[-1].id if more else None, {"kind": kind})


def history_page(kind: Kind, id_: str, args: dict) -> Response:
    if store.head_version(get_db(), kind.name, id_) is None:
        abort(404, message=f"No {kind.noun} '{id_}'.")
    after = decode_cursor(args.get("cursor"), int) or 0
    limit = args["limit"]
    rows = store.list_versions(get_db(), kind.name, id_, after=after, limit=limit + 1, decode=False)
    more = len(rows) > limit
    rows = rows[:limit]
    return versions_page_response(
        "history", rows, rows[-1].version if more else None, {"kind": kind, "id": id_}
    )


def revalidate_early(kind: Kind) -> Response | None:
    """A conditional read of one resource (latest) or one version, answered before the view.

    Only with If-None-Match, no query string and on the writer (a replica pins reads to its
    release), and only for a version this process has encoded (its metadata is at hand): the
    head row is the one lookup. The outcome is preconditions.evaluate's, through the same
    function version_response calls, so the 304 (or 412) is the one the view would answer; the
    after-request hooks then add the same headers. Anything else (a tombstone, a miss, another
    representation) returns None and goes to the view as before.
    """
    environ = request.environ
    if (
        "HTTP_IF_NONE_MATCH" not in environ
        or environ.get("QUERY_STRING")
        or request.method not in ("GET", "HEAD")
        or request.routing_exception is not None
        or serving_release() is not None
    ):
        return None
    endpoint, args = request.endpoint, request.view_args or {}
    if endpoint == f"{kind.name}.read_resource":
        number = store.head_version(get_db(), kind.name, args["id_"])
        cached = cached_version(kind.name, args["id_"], number) if number is not None else None
        if cached is None or cached.version.deleted:
            return None
    elif endpoint == f"{kind.name}.read_resource_version":
        cached = cached_version(kind.name, args["id_"], args["number"])
        if cached is None:
            return None
    else:
        return None
    return early_revalidation(cached.version)


def make_blueprint(kind: Kind) -> Blueprint:
    """The read routes for one kind; each kind gets its own OpenAPI tag."""
    blp = ReadBlueprint(
        kind.name, __name__, url_prefix=f"/{kind.name}", description=kind.description
    )
    # Blueprint hooks run after the app's (request id, limits, edge checks, auth): a 304
    # answered here has passed every check the view's would have.
    blp.before_request(lambda: revalidate_early(kind))

    @blp.route("")
    # Schema instances, not classes: webargs would build a new Schema on every request.
    @blp.arguments(kind.query_schema(), location="query", unknown=RAISE)
    @blp.response(200, PageSchema)
    @blp.doc(summary=f"List {kind.plural}")
    def list_resources(args):
        """List resources of this kind."""
        return list_page(kind, args)

    @blp.route("/<string:id_>")
    @blp.arguments(PointQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, VersionSchema)
    @blp.alt_response(304, description="Not modified (If-None-Match matched)")
    @blp.doc(summary=f"Read one {kind.noun} (latest, or as of a time or release)")
    def read_resource(args, id_):
        """Read one resource."""
        return read_one(kind, id_, point_from(args))

    @blp.route("/<string:id_>/versions")
    @blp.arguments(VersionsQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, PageSchema)
    @blp.doc(summary=f"List the versions of one {kind.noun}, oldest first")
    def list_resource_versions(args, id_):
        """List the versions of one resource."""
        return history_page(kind, id_, args)

    @blp.route("/<string:id_>/versions/<int:number>")
    @blp.arguments(FormatQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, VersionSchema)
    @blp.doc(summary=f"Read one version of one {kind.noun}")
    def read_resource_version(args, id_, number):
        """Read one version of a resource (tombstones included)."""
        cached = cached_version(kind.name, id_, number)
        if cached is not None:  # versions never change: no need to read it again
            return version_response(cached.version, cached.json)
        version = store.get_version(get_db(), kind.name, id_, number)
        if version is None:
            abort(404, message=f"No version {number} of {kind.noun} '{id_}'.")
        return version_response(version)

    return blp


def register(api) -> None:
    for blueprint in per_kind(make_blueprint):
        api.register_blueprint(blueprint)
