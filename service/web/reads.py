"""The point in time a read asks for, and the version visible there: what every read shares."""

from flask_smorest import abort

from service import store
from service.kinds import Kind
from service.ops.replica import serving_release
from service.web.db import get_db
from service.web.http import etag_of


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
        gone(
            version,
            f"The {kind.noun} '{id_}' was deleted in version "
            f"{version.version}; its history stays at /{kind.name}/{id_}/versions. "
            "To revive it, PUT a whole body with If-Match set to this answer's ETag.",
        )
    return version


def gone(tombstone: store.Version, message: str):
    """410 with the tombstone's ETag: the version a revival (or any write) names."""
    abort(410, message=message, type="gone", headers={"ETag": etag_of(tombstone)})
