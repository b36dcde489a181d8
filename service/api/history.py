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
"""

import copy
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import jsonpatch
import jsonpointer
from flask import Response, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from schemas.common import StrictSchema
from schemas.query import MAX_PAGE, format_field
from service import store
from service.kinds import Kind
from service.representations.respond import represent
from service.web.db import get_db
from service.web.routing import per_kind

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
FEED_ID = "tag:framings,2025:changes"
FEED_LIMIT = 50
# SQLite integers are 64-bit: anything larger cannot name a version or a change.
MAX_INTEGER = 2**63 - 1
SEQ_RANGE = validate.Range(0, MAX_INTEGER, error="Must be a change sequence number, 0 or more.")
# Characters XML 1.0 cannot carry at all, escaped or not.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

blp = Blueprint(
    "history",
    __name__,
    url_prefix="",
    description="Diffs between versions, and the change feed (JSON and Atom).",
)


# --- schemas -------------------------------------------------------------------------------


class DiffQueryArgsSchema(StrictSchema):
    from_ = fields.Integer(
        data_key="from",
        validate=validate.Range(1, MAX_INTEGER, error="Must be a version number, 1 or more."),
        metadata={
            "description": "The version to diff from (default: the version before n; "
            "for version 1, the empty document)."
        },
    )
    format = format_field()


SINCE_HELP = (
    "Only changes with seq greater than this: the page holds the first `limit` of them. "
    "The feed's cursor, the same in /changes and /changes.atom."
)
LIMIT_HELP = "How many changes a page holds at most (the same in /changes and /changes.atom)."


class ChangesQueryArgsSchema(StrictSchema):
    since = fields.Integer(
        load_default=0, validate=SEQ_RANGE, metadata={"description": SINCE_HELP + " Default 0."}
    )
    limit = fields.Integer(
        load_default=FEED_LIMIT,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": LIMIT_HELP},
    )
    format = format_field()


class AtomQueryArgsSchema(StrictSchema):
    since = fields.Integer(
        validate=SEQ_RANGE,
        metadata={"description": SINCE_HELP + " Without it: the last page, the newest changes."},
    )
    limit = fields.Integer(
        load_default=FEED_LIMIT,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": LIMIT_HELP},
    )


class PatchOperationSchema(Schema):
    op = fields.String(metadata={"description": "add, remove or replace"})
    path = fields.String(metadata={"description": "JSON Pointer (RFC 6901)"})
    value = fields.Raw(metadata={"description": "The new value (add, replace)"})
    old = fields.Raw(metadata={"description": "The value removed or replaced (remove, replace)"})


class DiffSchema(Schema):
    kind = fields.String()
    id = fields.String()
    from_ = fields.Integer(
        data_key="from", metadata={"description": "0 stands for the empty document"}
    )
    to = fields.Integer()
    patch = fields.List(
        fields.Nested(PatchOperationSchema),
        metadata={"description": "RFC 6902 JSON Patch from `from` to `to`"},
    )


class ChangeLinksSchema(Schema):
    self = fields.String(metadata={"description": "Permanent URL of the version"})


class ChangeSchema(Schema):
    seq = fields.Integer(metadata={"description": "Global, gap-free change sequence number"})
    kind = fields.String()
    id = fields.String()
    version = fields.Integer()
    recorded_at = fields.String(metadata={"description": "UTC, ISO 8601"})
    author = fields.String()
    change_note = fields.String()
    deleted = fields.Boolean()
    links = fields.Nested(ChangeLinksSchema)


class ChangesPageSchema(Schema):
    items = fields.List(fields.Nested(ChangeSchema))
    next = fields.String(
        allow_none=True, metadata={"description": "URL of the next page (since = last seq)"}
    )


# --- diff ----------------------------------------------------------------------------------


def document(version: store.Version | None) -> dict:
    """The JSON document a version stands for: a tombstone or version 0 is empty."""
    if version is None or version.body is None:
        return {}
    return version.body


def annotated_patch(old: dict, new: dict) -> list[dict]:
    """RFC 6902 operations from old to new (add/remove/replace only), each remove and replace
    carrying the value it takes away as `old`.

    A patch's paths address the document as the operations before have left it (removing
    /list/0 shifts /list/1 to /list/0), so each old value is resolved in that intermediate
    document, not in the original.
    """
    operations = jsonpatch.JsonPatch.from_diff(old, new, optimization=False).patch
    current = copy.deepcopy(old)
    annotated = []
    for operation in operations:
        if operation["op"] not in ("add", "remove", "replace"):
            raise ValueError(f"unexpected patch operation {operation['op']!r}")
        entry = dict(operation)
        if operation["op"] in ("remove", "replace"):
            entry["old"] = copy.deepcopy(jsonpointer.resolve_pointer(current, operation["path"]))
        annotated.append(entry)
        current = jsonpatch.JsonPatch([copy.deepcopy(operation)]).apply(current, in_place=True)
    return annotated


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
    @blp.arguments(DiffQueryArgsSchema, location="query", unknown=RAISE)
    @blp.response(200, DiffSchema)
    @blp.doc(
        summary=f"Diff two versions of one {kind.noun} as a JSON Patch (RFC 6902)",
        tags=["history", kind.name],
    )
    def diff_versions(args, id_, number):
        """Diff two versions of a resource as a JSON Patch, with old values."""
        return diff_answer(kind, id_, number, args)


per_kind(register_diff_route)


# --- change feed ---------------------------------------------------------------------------


def version_path(version: store.Version) -> str:
    return f"/{version.kind}/{version.id}/versions/{version.version}"


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
        "links": {"self": version_path(version)},
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


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids outright are dropped."""
    return XML_ILLEGAL.sub("", text)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_entry(feed: ET.Element, version: store.Version, base: str) -> None:
    entry = sub(feed, "entry")
    sub(entry, "id", f"tag:framings,2025:{version.kind}/{version.id}/v{version.version}")
    title = f"{version.kind}/{version.id} v{version.version}"
    sub(entry, "title", title + (" (deleted)" if version.deleted else ""))
    sub(entry, "updated", version.recorded_at)
    author = sub(entry, "author")
    sub(author, "name", version.author or "unknown")
    sub(entry, "category", term=version.kind)
    sub(entry, "summary", version.change_note, type="text")
    sub(
        entry,
        "link",
        rel="alternate",
        type="application/json",
        href=base + version_path(version).lstrip("/"),
    )


@blp.route("/changes.atom")
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
    base = request.host_url
    # The default namespace is declared on the root, so children need no prefix.
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    sub(feed, "id", FEED_ID)
    sub(feed, "title", "Framings: changes to the model")
    sub(
        feed,
        "subtitle",
        "Every new version of a framing, assumption, watch-list item, chip or control.",
    )
    sub(feed, "updated", max(v.recorded_at for v in newest) if newest else "1970-01-01T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", "Framings")
    sub(feed, "link", rel="self", type=ATOM_TYPE, href=request.url)
    for rel, url in links.items():  # RFC 5005 section 3 names "prev" "previous"
        name = "previous" if rel == "prev" else rel
        sub(feed, "link", rel=name, type=ATOM_TYPE, href=base + url.lstrip("/"))
    json_page = "changes?" + urlencode({"since": since, "limit": limit})  # the same page
    sub(feed, "link", rel="alternate", type="application/json", href=base + json_page)
    sub(feed, "generator", "Framings")
    for version in rows:
        atom_entry(feed, version, base)
    xml = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(
        xml, 200, content_type=f"{ATOM_TYPE}; charset=utf-8", headers=link_header(links)
    )
