"""Writes on every kind: create, replace, merge-patch and delete, each a new immutable version."""

import hashlib
import json
import re
from typing import NoReturn

from flask import Response, g, request
from flask_smorest import abort
from marshmallow import RAISE, ValidationError

from schemas.envelope import VersionSchema
from schemas.references import KNOWN
from schemas.timeutil import now_utc
from schemas.write import MergePatchSchema
from service import assessments, store
from service.kinds import Kind, a_noun
from service.ops import limits
from service.ops.edge import Blueprint, header_text
from service.patching import merge_patch
from service.validation import validate_body
from service.web import auth, preconditions
from service.web import openapi as params
from service.web.db import get_db
from service.web.http import dumps, envelope, etag_of, last_modified, validators
from service.web.openapi import CONDITIONAL_WRITE, TAKES_JSON, WRITES, contract, noun_id
from service.web.reads import gone
from service.web.routing import per_kind

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
NOTE_HEADER = "X-Change-Note"
MAX_KEY_LENGTH = 255
IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}")


def change_note() -> str:
    """The note as the client wrote it: UTF-8 header text, or RFC 8187's UTF-8''%.. form."""
    note = (header_text(NOTE_HEADER) or "").strip()
    if not note or len(note) > 1000:
        abort(
            422,
            errors={
                "headers": {
                    NOTE_HEADER: [
                        "Required on every write: one line (1-1,000 characters) saying "
                        "what changed and why."
                    ]
                }
            },
        )
    return note


def based_on(kind: Kind, id_: str) -> store.Version | None:
    """The head a write is based on, once its preconditions hold (RFC 9110 13.2.2).

    Every write needs one: If-Match with the ETag of the version it changes (a tombstone's to
    revive), or, for a PUT that may only create, If-None-Match: * (428 without either). Tags
    compare as strings, strongly; `If-Match: *` needs a live resource and `If-None-Match: *`
    one that is absent or deleted (412 otherwise, with the current ETag). None: a PUT that
    creates the resource.
    """
    for name in ("If-Match", "If-None-Match"):
        if (problem := preconditions.unquoted(name)) is not None:
            abort(400, message=problem, errors={"headers": {name: [problem]}})
    if_match = request.headers.get("If-Match")
    create_only = request.headers.get("If-None-Match", "").strip(" \t") == "*"
    if if_match is None and not create_only:
        abort(
            428,
            message="Send If-Match with the ETag of the version you changed (or, to create "
            "with PUT, If-None-Match: *).",
            type="precondition-required",
        )
    head = store.get_current(get_db(), kind.name, id_)
    if head is None and request.method != "PUT":
        abort(404, message=f"No {kind.noun} '{id_}'; create it with POST /{kind.name}.")
    etag = etag_of(head) if head is not None else None
    outcome = preconditions.evaluate(
        etag,
        exists=head is not None and not head.deleted,
        last_modified=last_modified(head) if head is not None else None,
    )
    if outcome is not None:
        failed(kind, id_, head)
    return head


def failed(kind: Kind, id_: str, head: store.Version | None) -> NoReturn:
    """412: the preconditions name another state than `head`, the resource's current one."""
    if head is None:
        abort(
            412,
            message=f"No {kind.noun} '{id_}' exists, so If-Match cannot hold; create it with "
            f"POST /{kind.name}, or PUT with If-None-Match: *.",
            type="precondition-failed",
        )
    etag = etag_of(head)
    if_match = request.headers.get("If-Match")
    exists = not head.deleted
    stale = (
        if_match is not None
        and preconditions.entity_tags(if_match) != [preconditions.STAR]
        and not preconditions.listed(if_match, etag, exists, strong=True)
    )
    if stale:
        abort(
            412,
            message=f"The {kind.noun} '{id_}' is at version {head.version} (ETag {etag}); "
            "re-read it and apply your change again.",
            type="stale-version",
            headers={"ETag": etag},
        )
    state = "exists" if exists else "is deleted"
    abort(
        412,
        message=f"The {kind.noun} '{id_}' {state} (version {head.version}, ETag {etag}), so "
        "the write's preconditions do not hold (If-Match: * needs a live resource, "
        "If-None-Match: * an absent or deleted one).",
        type="precondition-failed",
        headers={"ETag": etag},
    )


def checked(kind: Kind, body) -> dict:
    """The body as stored, or a 422 naming every offending field (ids it names included)."""
    try:
        return validate_body(kind, body, lambda other: store.live_ids(get_db(), other))
    except ValidationError as error:
        abort(422, errors={"json": error.messages})


def commit(kind: Kind, id_: str, body: dict | None, expected: int | None) -> store.Version:
    try:
        return store.append(
            get_db(),
            kind.name,
            id_,
            body,
            author=g.token.name,
            change_note=g.change_note,
            expected=expected,
        )
    except store.Conflict:
        head = store.head_version(get_db(), kind.name, id_)
        if expected is None and request.method == "POST":
            abort(409, message=f"A {kind.noun} '{id_}' already exists; PUT to change it.")
        abort(
            412,
            message=f"The {kind.noun} '{id_}' changed meanwhile (now version {head}).",
            type="stale-version",
            headers={"ETag": f'"{head}"'},
        )


def written(version: store.Version, status: int = 200) -> Response:
    """The version a write made; 201 with Location when it made a current representation
    where there was none (a create or a revival, RFC 9110 9.3.4)."""
    headers = validators(version)
    if status == 201:
        headers["Location"] = f"/{version.kind}/{version.id}"
    return Response(dumps(envelope(version)), status, headers=headers, mimetype="application/json")


def begin_write(role: str = "editor") -> None:
    limits.charge_write(auth.require(role))
    g.change_note = change_note()
    # Body parsing comes next: let the schemas name unknown ids along with type errors.
    g.known_ids_token = KNOWN.set(lambda kind: store.live_ids(get_db(), kind))


def end_write(_error=None) -> None:
    token = g.pop("known_ids_token", None)
    if token is not None:
        KNOWN.reset(token)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")


def new_id(body: dict) -> str:
    """The id from the Slug header (RFC 5023), else made from the body's title or name."""
    wanted = request.headers.get("Slug") or slugify(
        str(body.get("title") or body.get("name") or "")
    )
    if not SLUG.fullmatch(wanted or ""):
        abort(
            422,
            errors={
                "headers": {
                    "Slug": [
                        "Give a lowercase slug (a-z, 0-9, '-') as the "
                        "Slug header, or a title to make one from."
                    ]
                }
            },
        )
    return wanted


def fingerprint(kind: Kind) -> str:
    """What makes two POSTs the same request: kind, Slug, change note (it becomes part of the
    version) and body."""
    raw = {
        "kind": kind.name,
        "slug": request.headers.get("Slug"),
        "note": g.change_note,
        "body": request.get_json(silent=True),
    }
    # sort_keys: the same JSON with its members in another order is the same request.
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(kind: Kind, key: str) -> Response | None:
    """The stored answer for a repeated Idempotency-Key, or 422 if the request differs."""
    remembered = store.remembered_answer(get_db(), g.token.name, key)
    if remembered is None:
        return None
    request_hash, status, headers, body = remembered
    if request_hash != fingerprint(kind):
        abort(
            422,
            errors={
                "headers": {
                    "Idempotency-Key": ["This key was already used for a different request."]
                }
            },
        )
    return Response(body, status, headers=json.loads(headers), mimetype="application/json")


def idempotency_key() -> str | None:
    """The Idempotency-Key: 1-255 visible ASCII characters (what the README documents)."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        abort(
            422,
            errors={
                "headers": {
                    "Idempotency-Key": [
                        f"Give 1-{MAX_KEY_LENGTH} visible ASCII characters (a UUID will do)."
                    ]
                }
            },
        )
    return key


def create(kind: Kind, body: dict) -> Response:
    """POST: version 1 of a new resource, answered once per Idempotency-Key."""
    key = idempotency_key()
    if key and (earlier := replay(kind, key)):
        return earlier
    stored = checked(kind, body)
    db = get_db()
    try:
        with db.atomic():
            response = written(commit(kind, new_id(body), stored, None), 201)
            if key:
                store.remember_answer(
                    db,
                    g.token.name,
                    key,
                    fingerprint(kind),
                    201,
                    dict(response.headers),
                    response.get_data(as_text=True),
                )
    except Exception:
        # A concurrent twin with the same key may have won the race: answer as it did.
        if key and (earlier := replay(kind, key)):
            return earlier
        raise
    return response


def make_blueprint(kind: Kind) -> Blueprint:
    """The write routes for one kind (editor role, X-Change-Note, If-Match)."""
    blp = Blueprint(
        f"{kind.name}-writes",
        __name__,
        url_prefix=f"/{kind.name}",
        description=f"Revise {kind.plural}.",
    )
    doc = {"tags": [kind.name], "security": [{"bearer": []}]}
    one, _ = noun_id(kind.name)
    noun = a_noun(kind.noun)
    written_headers = ("ETag", "Last-Modified")
    # Who and why come before what: 401/403 and a missing change note precede body checks.
    blp.before_request(begin_write)
    blp.teardown_request(end_write)

    @blp.route("", methods=["POST"])
    @contract(
        f"create{one}",
        f"Create {noun} (its id from the Slug header, or from its title)",
        errors=WRITES + TAKES_JSON + (409,),
        params=(params.CHANGE_NOTE, params.SLUG, params.IDEMPOTENCY_KEY),
        headers=(*written_headers, "Location"),
        public=False,
        ok=201,
    )
    @blp.arguments(kind.body_schema, unknown=RAISE)
    @blp.response(201, VersionSchema)
    @blp.doc(**doc)
    def create_resource(body):
        """Create a resource as version 1."""
        return create(kind, request.get_json())

    @blp.route("/<string:id_>", methods=["PUT"])
    @contract(
        f"replace{one}",
        f"Replace {noun} with a new version (revives a deleted one)",
        errors=WRITES + TAKES_JSON + CONDITIONAL_WRITE,
        params=(params.CHANGE_NOTE, params.IF_MATCH, params.IF_NONE_MATCH_WRITE),
        headers=written_headers,
        public=False,
    )
    @blp.arguments(kind.body_schema, unknown=RAISE)
    @blp.response(200, VersionSchema)
    @blp.alt_response(
        201, schema=VersionSchema, description="Created, or revived: it had no current version"
    )
    @blp.doc(**doc)
    def replace_resource(body, id_):
        """Replace a resource with a new version."""
        head = based_on(kind, id_)
        if head is None:  # If-None-Match: * and no such resource: create it here
            if not SLUG.fullmatch(id_):
                abort(422, errors={"path": {"id": ["Not a lowercase slug (a-z, 0-9, '-')."]}})
            return written(commit(kind, id_, checked(kind, request.get_json()), None), 201)
        body = assessments.dated(head.body, request.get_json(), now_utc()[:10])
        version = commit(kind, id_, checked(kind, body), head.version)
        return written(version, 201 if head.deleted else 200)

    @blp.route("/<string:id_>", methods=["PATCH"])
    @contract(
        f"update{one}",
        f"Change part of {noun} (JSON Merge Patch, RFC 7396)",
        errors=WRITES + TAKES_JSON + CONDITIONAL_WRITE + (410,),
        params=(params.CHANGE_NOTE, params.IF_MATCH),
        headers=written_headers,
        public=False,
    )
    @blp.arguments(MergePatchSchema, content_type="application/merge-patch+json")
    @blp.response(200, VersionSchema)
    @blp.doc(**doc)
    def patch_resource(_patch, id_):
        """Change part of a resource with a JSON Merge Patch."""
        if request.mimetype != "application/merge-patch+json":
            abort(415, message="PATCH takes application/merge-patch+json (RFC 7396).")
        current = based_on(kind, id_)
        if current.deleted:
            gone(current, f"The {kind.noun} '{id_}' is deleted; PUT a whole body to revive it.")
        body = merge_patch(current.body, request.get_json())
        body = assessments.dated(current.body, body, now_utc()[:10])
        return written(commit(kind, id_, checked(kind, body), current.version))

    @blp.route("/<string:id_>", methods=["DELETE"])
    @contract(
        f"delete{one}",
        f"Delete {noun} (a tombstone version; its history stays)",
        errors=WRITES + CONDITIONAL_WRITE + (410,),
        params=(params.CHANGE_NOTE, params.IF_MATCH),
        headers=written_headers,
        public=False,
    )
    @blp.response(200, VersionSchema)
    @blp.doc(**doc)
    def delete_resource(id_):
        """Delete a resource by appending a tombstone version."""
        current = based_on(kind, id_)
        if current.deleted:
            gone(current, f"The {kind.noun} '{id_}' is already deleted.")
        return written(commit(kind, id_, None, current.version))

    return blp


def register(api) -> None:
    for blueprint in per_kind(make_blueprint):
        api.register_blueprint(blueprint)
