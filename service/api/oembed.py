"""oEmbed 1.0 (https://oembed.com) for wikis and sites that embed by URL: GET /oembed?url=…

A resource's page (`/<kind>/<id>`) or its embed page (`/embed/<kind>/<id>`), on this host or
at FRAMINGS_PUBLIC_URL, with `as_of` or `release` if wanted, is embedded as an iframe of its
embed page (type `rich`). What is not such a page, or no longer exists, is a 404; a format
other than JSON a 501, as the specification says.
"""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from flask import request
from flask_smorest import abort
from marshmallow import RAISE, ValidationError
from werkzeug.exceptions import HTTPException

from schemas.oembed import OEmbedQueryArgsSchema, OEmbedSchema
from schemas.query import PointQueryArgsSchema
from service import config
from service.kinds import KINDS
from service.ops.edge import Blueprint
from service.representations import oembed
from service.representations.citation import absolute, title_of
from service.web.openapi import contract
from service.web.reads import current_or_error, point_from

blp = Blueprint(
    "oembed", __name__, url_prefix="", description="oEmbed 1.0 for sites that embed by URL."
)
PAGE = re.compile(r"^/(?:embed/)?([a-z]+)/([a-z0-9][a-z0-9-]*)/?$")
POINT = ("as_of", "release")
LIVE_AGE, FROZEN_AGE = 300, 31536000  # seconds: the live model may change at any write


def ours(netloc: str) -> bool:
    public = urlsplit(config.public_url() or "").netloc
    return netloc.lower() in {request.host.lower(), public.lower()}


def embeddable(url: str) -> tuple[str, str, dict]:
    """(kind, id, point arguments) of an embeddable page of this API; a 404 otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all (an unclosed IPv6 bracket...)
        parts = urlsplit("")
    match = PAGE.match(parts.path)
    if parts.scheme not in ("http", "https") or not ours(parts.netloc) or match is None:
        abort(404, message=f"{url} is not a page this provider embeds.")
    if match.group(1) not in KINDS:
        abort(404, message=f"{url} is not a page this provider embeds.")
    query = parse_qs(parts.query)
    return match.group(1), match.group(2), {k: query[k][0] for k in POINT if k in query}


@blp.route("/oembed")
@contract(
    "getOembed",
    "oEmbed 1.0 (JSON) of a resource's page: an iframe of its embed page",
    errors=(404, 422, 501),
)
@blp.arguments(OEmbedQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, OEmbedSchema)
def oembed_read(args):
    """oEmbed 1.0 (JSON) of a resource's page: an iframe of its embed page."""
    if args.get("format", "json") != "json":
        abort(501, message="This provider answers oEmbed in JSON only (format=json).")
    kind, id_, point_args = embeddable(args["url"])
    try:
        point = point_from(PointQueryArgsSchema().load(point_args))
        version = current_or_error(KINDS[kind], id_, point)
    except (HTTPException, ValidationError):
        abort(404, message=f"{args['url']} names nothing this provider can embed now.")
    query = f"?{urlencode(point_args)}" if point_args else ""
    width, height = oembed.size(args.get("maxwidth"), args.get("maxheight"))
    title = title_of(kind, id_, version.body)
    age = FROZEN_AGE if point.release else LIVE_AGE
    return oembed.answer(absolute(f"/embed/{kind}/{id_}{query}"), title, width, height, age)
