"""Read endpoints shared by every kind: lists, the latest version, history, one version."""

from flask import Response
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from schemas.envelope import PageSchema, VersionSchema
from schemas.query import FormatQueryArgsSchema, PointQueryArgsSchema, VersionsQueryArgsSchema
from service import store
from service.kinds import Kind, a_noun
from service.representations.respond import (
    cached_version,
    version_response,
    versions_page_response,
)
from service.web.db import get_db
from service.web.http import decode_cursor
from service.web.memo import keeps_answers
from service.web.openapi import NEGOTIATES, READS_ONE, TAKES_QUERY, contract, noun_id
from service.web.reads import point_from, visible_or_error
from service.web.routing import per_kind

LATEST = store.Point()


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
    # Left undecoded: its JSON is most often kept encoded already (`encoded`).
    version = store.get_current(get_db(), kind.name, id_, point, decode=False)
    return version_response(visible_or_error(kind, id_, point, version))


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


def make_blueprint(kind: Kind) -> Blueprint:
    """The read routes for one kind; each kind gets its own OpenAPI tag."""
    blp = Blueprint(kind.name, __name__, url_prefix=f"/{kind.name}", description=kind.description)
    one, many = noun_id(kind.name)
    noun = a_noun(kind.noun)
    version_read = {"conditional": True, "headers": ("ETag", "Last-Modified"), "formats": "version"}

    @blp.route("")
    @keeps_answers()
    @contract(
        f"list{many}",
        f"List {kind.plural}",
        errors=NEGOTIATES + TAKES_QUERY,
        headers=("Link",),
        formats="page",
        conditional=True,
    )
    # Schema instances, not classes: webargs would build a new Schema on every request.
    @blp.arguments(kind.query_schema(), location="query", unknown=RAISE)
    @blp.response(200, PageSchema)
    def list_resources(args):
        """List resources of this kind."""
        return list_page(kind, args)

    @blp.route("/<string:id_>")
    @keeps_answers()
    @contract(
        f"get{one}",
        f"Read {noun} (the latest version, or as of a time or release)",
        errors=NEGOTIATES + READS_ONE + TAKES_QUERY,
        **version_read,
    )
    @blp.arguments(PointQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, VersionSchema)
    def read_resource(args, id_):
        """Read one resource."""
        return read_one(kind, id_, point_from(args))

    @blp.route("/<string:id_>/versions")
    @keeps_answers()
    @contract(
        f"list{one}Versions",
        f"List the versions of {noun}, oldest first",
        errors=NEGOTIATES + (404,) + TAKES_QUERY,
        headers=("Link",),
        formats="history",
        conditional=True,
    )
    @blp.arguments(VersionsQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, PageSchema)
    def list_resource_versions(args, id_):
        """List the versions of one resource."""
        return history_page(kind, id_, args)

    @blp.route("/<string:id_>/versions/<int:number>")
    @keeps_answers()
    @contract(
        f"get{one}Version",
        f"Read one version of {noun}",
        errors=NEGOTIATES + (404,) + TAKES_QUERY,
        **version_read,
    )
    @blp.arguments(FormatQueryArgsSchema(), location="query", unknown=RAISE)
    @blp.response(200, VersionSchema)
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
