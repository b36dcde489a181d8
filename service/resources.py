"""Read endpoints shared by every kind: lists, the latest version, history, one version."""

from flask import Response, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError
from webargs.flaskparser import FlaskParser

from schemas.envelope import PageSchema, VersionSchema
from schemas.query import FormatQueryArgsSchema, PointQueryArgsSchema, VersionsQueryArgsSchema
from service import store
from service.db import get_db
from service.http import decode_cursor, etag_of
from service.kinds import KINDS, Kind
from service.replica import serving_release
from service.representations import cached_version, version_response, versions_page_response

LATEST = store.Point()


class ReadArgumentsParser(FlaskParser):
    """webargs' parser, with a shortcut for the usual read: no query string at all.

    Then the arguments are the schema's load of an empty mapping, which is what webargs would
    load from the empty query; its location and proxy machinery cost a few percent of a read.
    Anything else, a failed load included (to be reported as usual), goes the usual way.
    """

    def parse(self, argmap, req=None, **kwargs):
        if (
            kwargs.get("location") == "query"
            and kwargs.get("unknown") == RAISE
            and kwargs.get("validate") is None
            and isinstance(argmap, Schema)
            and not (req or request).query_string
        ):
            try:
                return argmap.load({}, unknown=RAISE)
            except ValidationError:
                pass
        return super().parse(argmap, req, **kwargs)


class ReadBlueprint(Blueprint):
    ARGUMENTS_PARSER = ReadArgumentsParser()


def point_from(args: dict) -> store.Point:
    """The point in time a read asks for; an unknown release is a 422 naming it."""
    release = args.get("release")
    if release is None and args.get("as_of") is None:
        release = serving_release()
    if release is not None and not store.release_exists(get_db(), release):
        abort(422, errors={"query": {"release": [f"No release named '{release}'."]}})
    return store.Point(as_of=args.get("as_of"), release=release)


def current_or_error(kind: Kind, id_: str, point: store.Point) -> store.Version:
    """The version visible at `point`: 404 when there is none, 410 when it is a tombstone."""
    return visible_or_error(kind, id_, point, store.get_current(get_db(), kind.name, id_, point))


def visible_or_error(
    kind: Kind, id_: str, point: store.Point, version: store.Version | None
) -> store.Version:
    """`version`, the one visible at `point`: 404 when there is none, 410 for a tombstone."""
    if version is None:
        abort(
            404,
            message=f"No {kind.noun} '{id_}'"
            + (" at that point in time." if point.as_of or point.release else "."),
        )
    if version.deleted:
        abort(
            410,
            message=f"The {kind.noun} '{id_}' was deleted in version "
            f"{version.version}; its history stays at /{kind.name}/{id_}/versions. "
            "To revive it, PUT a whole body with If-Match set to this answer's ETag.",
            type="gone",
            headers={"ETag": etag_of(version)},  # the tombstone's: what a revival names
        )
    return version


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
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return versions_page_response("page", rows, rows[-1].id if more else None, {"kind": kind})


def history_page(kind: Kind, id_: str, args: dict) -> Response:
    if store.head_version(get_db(), kind.name, id_) is None:
        abort(404, message=f"No {kind.noun} '{id_}'.")
    after = decode_cursor(args.get("cursor"), int) or 0
    limit = args["limit"]
    rows = store.list_versions(get_db(), kind.name, id_, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return versions_page_response(
        "history", rows, rows[-1].version if more else None, {"kind": kind, "id": id_}
    )


def make_blueprint(kind: Kind) -> Blueprint:
    """The read routes for one kind; each kind gets its own OpenAPI tag."""
    blp = ReadBlueprint(
        kind.name, __name__, url_prefix=f"/{kind.name}", description=kind.description
    )

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
    for kind in KINDS.values():
        api.register_blueprint(make_blueprint(kind))
