"""History tools: the diff between two versions, and the change feed as JSON and as Atom.

Diff: ``GET /<kind>/<id>/versions/<n>/diff?from=<m>`` answers an RFC 6902 JSON Patch that turns
version m's body into version n's, with only add, remove and replace operations; each remove and
replace also carries ``old``, the value it removes or replaces. ``from`` defaults to n-1; version
0 (the default for n=1) and a tombstone's body both stand for the empty document ``{}``.

Change feed: ``GET /changes?since=<seq>&limit=<n>`` and ``GET /changes.atom`` page the same
way. A page holds the first `limit` changes with seq greater than `since`: JSON lists them
oldest first, Atom newest first (what feed readers show). ``seq`` is the global, gap-free change
number, so it is its own cursor: ``next`` (the body's, and ``Link: rel="next"``) is this URL
with ``since`` set to the page's last seq. A consumer that keeps the last seq it saw can poll
with it and never miss or repeat a change. Both answers link ``first``, ``prev``, ``next`` and
``last`` in the ``Link`` header; the Atom document also carries them as RFC 5005 paged-feed
links (``first``, ``previous``, ``next``, ``last``). Without ``since``, ``/changes`` starts at
the beginning and ``/changes.atom`` is the last page, the newest changes (the document a feed
reader subscribes to, and the Atom ``last`` link).

The schemas are in schemas/history.py, the patch in service/patching.py, the Atom document in
service/representations/atom.py.
"""

from urllib.parse import urlencode

from flask import Response, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from schemas.history import (
    FEED_LIMIT,
    MAX_INTEGER,
    AtomQueryArgsSchema,
    ChangesPageSchema,
    ChangesQueryArgsSchema,
    DiffQueryArgsSchema,
    DiffSchema,
)
from service import store
from service.kinds import Kind, a_noun
from service.patching import annotated_patch
from service.representations.atom import ATOM_TYPE, changes_feed
from service.representations.citation import absolute, version_path
from service.representations.respond import represent
from service.web.db import get_db
from service.web.openapi import NEGOTIATES, STRING_BODY, TAKES_QUERY, contract, noun_id
from service.web.routing import per_kind

blp = Blueprint(
    "history",
    __name__,
    url_prefix="",
    description="Diffs between versions, and the change feed (JSON and Atom).",
)


# --- diff ----------------------------------------------------------------------------------


def document(version: store.Version | None) -> dict:
    """The JSON document a version stands for: a tombstone or version 0 is empty."""
    if version is None or version.body is None:
        return {}
    return version.body


def version_or_404(kind: Kind, id_: str, number: int) -> store.Version:
    version = None
    if number <= MAX_INTEGER:
        version = store.get_version(get_db(), kind.name, id_, number)
    if version is None:
        abort(404, message=f"No version {number} of {kind.noun} '{id_}'.")
    return version


def diff_answer(kind: Kind, id_: str, number: int, args: dict) -> Response:
    if store.head_version(get_db(), kind.name, id_) is None:
        abort(404, message=f"No {kind.noun} '{id_}'.")
    target = version_or_404(kind, id_, number)
    start = args.get("from_", number - 1)
    source = version_or_404(kind, id_, start) if start >= 1 else None
    return represent(
        "diff",
        {
            "kind": kind.name,
            "id": id_,
            "from": start,
            "to": number,
            "patch": annotated_patch(document(source), document(target)),
        },
    )


def register_diff_route(kind: Kind) -> None:
    """One diff route per kind, so only the five kinds match and each is documented."""

    @blp.route(
        f"/{kind.name}/<string:id_>/versions/<int:number>/diff", endpoint=f"diff_{kind.name}"
    )
    @contract(
        f"diff{noun_id(kind.name)[0]}Versions",
        f"Diff two versions of {a_noun(kind.noun)} as a JSON Patch (RFC 6902)",
        errors=NEGOTIATES + (404,) + TAKES_QUERY,
        formats="diff",
        conditional=True,
    )
    @blp.arguments(DiffQueryArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, DiffSchema)
    @blp.doc(tags=["history", kind.name])
    def diff_versions(args, id_, number):
        """Diff two versions of a resource as a JSON Patch, with old values."""
        return diff_answer(kind, id_, number, args)


per_kind(register_diff_route)


# --- change feed ---------------------------------------------------------------------------


def change_item(version: store.Version) -> dict:
    return {
        "seq": version.seq,
        "kind": version.kind,
        "id": version.id,
        "version": version.version,
        "recorded_at": version.recorded_at,
        "author": version.author,
        "change_note": version.change_note,
        "deleted": version.deleted,
        "links": {"self": version_path(version.kind, version.id, version.version)},
    }


def feed_page(since: int, limit: int) -> tuple[list[store.Version], dict[str, str]]:
    """The page of changes after `since` (oldest first) and its paging links by relation.

    seq is gap-free, so the page before the one after `since` starts after since - limit,
    and the last page after max_seq - limit.
    """
    db = get_db()
    rows = store.changes_since(db, since, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = max(0, store.max_seq(db) - limit)
    links = {"first": page_url(0)}
    if since > 0:  # the changes just before this page, and not one of this page's
        links["prev"] = page_url(max(0, since - limit), min(limit, since))
    if more:
        links["next"] = page_url(rows[-1].seq)
    links["last"] = page_url(last)
    return rows, links


def page_url(since: int | None, limit: int | None = None) -> str:
    """This request's URL with `since` set (or, None, left out) and, if given, `limit`; the
    other arguments kept."""
    query = {k: v for k, v in request.args.items(multi=True) if k != "since"}
    if limit is not None and str(limit) != query.get("limit", str(FEED_LIMIT)):
        query["limit"] = str(limit)
    if since is not None:
        query["since"] = str(since)
    return f"{request.path}?{urlencode(query)}" if query else request.path


def link_header(links: dict[str, str]) -> dict[str, str]:
    return {"Link": ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())}


@blp.route("/changes")
@contract(
    "listChanges",
    "List every change after `since`, oldest first",
    errors=NEGOTIATES + TAKES_QUERY,
    headers=("Link",),
    formats="changes",
    conditional=True,
)
@blp.arguments(ChangesQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ChangesPageSchema)
def changes(args):
    """List every change with seq greater than `since`, oldest first."""
    rows, links = feed_page(args["since"], args["limit"])
    return represent(
        "changes",
        {"items": [change_item(v) for v in rows], "next": links.get("next")},
        headers=link_header(links),
    )


@blp.route("/changes.atom")
@contract(
    "getChangesFeed",
    "The change feed as Atom 1.0",
    errors=TAKES_QUERY,
    content={ATOM_TYPE: STRING_BODY},
    conditional=True,
)
@blp.arguments(AtomQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, description="An Atom 1.0 feed (application/atom+xml)", content_type=ATOM_TYPE)
def changes_atom(args):
    """A page of changes, newest first, as an Atom 1.0 feed paged per RFC 5005."""
    db = get_db()
    limit = args["limit"]
    since = args.get("since")
    if since is None:  # the subscription document: the last page
        since = max(0, store.max_seq(db) - limit)
    rows, links = feed_page(since, limit)
    rows = rows[::-1]
    if "since" not in args:
        links["last"] = page_url(None)
    # The feed changed last when its newest entry was recorded; with no entries, when the
    # model last changed.
    newest = rows or store.latest_changes(db, 1)
    updated = max(v.recorded_at for v in newest) if newest else "1970-01-01T00:00:00Z"
    json_page = "changes?" + urlencode({"since": since, "limit": limit})  # the same page
    xml = changes_feed(
        rows,
        links,
        updated=updated,
        base=absolute("/"),
        self_url=absolute(request.full_path.rstrip("?")),
        json_page=json_page,
    )
    return Response(
        xml, 200, content_type=f"{ATOM_TYPE}; charset=utf-8", headers=link_header(links)
    )
