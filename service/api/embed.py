"""Embeds for wikis: a self-contained HTML page (or its Markdown twin) and SVG score badges."""

import hashlib
import json

from flask import Response, render_template
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from schemas.query import PointQueryArgsSchema
from schemas.timeutil import http_date
from service.kinds import KINDS, Kind, what_is_scored
from service.representations import embed as html_embed
from service.representations import helpers as html_helpers
from service.representations.badges import badge_svg
from service.representations.formats import media_type, render
from service.store import Version
from service.web import preconditions
from service.web.http import chart_cache_control, envelope, negotiate
from service.web.model import stored_answer
from service.web.openapi import (
    NEGOTIATES,
    READS_ONE,
    STRING_BODY,
    SVG_ONLY,
    TAKES_QUERY,
    contract,
    noun_id,
)
from service.web.reads import current_or_error, point_from
from service.web.routing import per_kind

blp = Blueprint(
    "embed",
    __name__,
    url_prefix="",
    description="Embeds for wikis: HTML pages, their Markdown twins, SVG badges.",
)

cache_control = chart_cache_control  # one rule for embeds, badges and charts (web/http.py)


def fragment(version: Version, fmt: str) -> str:
    """The embed in HTML (a whole page), or its Markdown twin: the version's own Markdown."""
    if fmt == "md":
        return render("version", "md", envelope(version), {"version": version})
    has_badge = (version.body or {}).get("control") is not None
    badge = f"/{version.kind}/{version.id}/badge.svg" if has_badge else None
    return render_template(
        "embed.html",
        v=envelope(version),
        noun=KINDS[version.kind].noun,
        summary=html_embed.summary_of(version),
        facts=html_embed.facts_of(version),
        badge=html_helpers.absolute(badge) if badge else None,
        citation=html_helpers.citation(envelope(version)),
    )


@blp.route("/embed/<string:kind>/<string:id_>")
@contract(
    "getEmbed",
    "A self-contained HTML page of one resource for a wiki's iframe (or its Markdown)",
    errors=NEGOTIATES + READS_ONE + TAKES_QUERY,
    headers=("ETag", "Last-Modified"),
    formats=("html", "md"),
    content={"text/html": STRING_BODY, "text/markdown": STRING_BODY},
    conditional=True,
)
@blp.arguments(PointQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, content_type="text/html", description="A whole HTML page to frame (or Markdown)")
def embed(args, kind, id_):
    """A small self-contained HTML page of one resource for a wiki to frame (?format=md:
    Markdown)."""
    if kind not in KINDS:
        abort(404, message=f"No kind '{kind}'; kinds: {', '.join(KINDS)}.")
    point = point_from(args)
    version = current_or_error(KINDS[kind], id_, point)
    fmt = negotiate(("html", "md"))
    # The HTML and its Markdown twin each get a tag of their own bytes (preconditions.py).
    headers = {
        "Last-Modified": http_date(version.recorded_at),
        "Vary": "Accept",
        "Cache-Control": cache_control(point),
    }
    response = Response(fragment(version, fmt), 200, headers=headers, mimetype=media_type(fmt))
    response.charset = "utf-8"
    return response


def badge(kind_name: str, id_: str, args: dict) -> Response:
    """Score the stored control and draw it; the ETag names everything the score depends on."""
    point = point_from(args)
    answer = stored_answer(kind_name, id_, point)
    fingerprint = json.dumps(
        [answer["input_hash"], answer["model"], answer["source"]], sort_keys=True
    )
    etag = f'W/"{hashlib.sha256(fingerprint.encode()).hexdigest()[:20]}"'
    headers = {"ETag": etag, "Cache-Control": cache_control(point)}
    if (outcome := preconditions.evaluate(etag)) is not None:
        return preconditions.answer(outcome, headers)
    svg = badge_svg(answer["control"]["name"], answer["framings"])
    return Response(svg, 200, headers=headers, content_type="image/svg+xml; charset=utf-8")


def add_badge_route(kind: Kind) -> None:
    """GET /<kind>/<id>/badge.svg, for the kinds whose resources carry a control."""
    _, whose = what_is_scored(kind)

    def kind_badge(args, id_):
        return badge(kind.name, id_, args)

    kind_badge.__doc__ = f"An SVG badge of {whose} score under each framing."  # before routing
    route = blp.route(
        f"/{kind.name}/<string:id_>/badge.svg", endpoint=f"{kind.name.rstrip('s')}_badge"
    )
    declared = contract(
        f"get{noun_id(kind.name)[0]}Badge",
        f"An SVG badge of {whose} score under each framing",
        errors=READS_ONE + TAKES_QUERY,
        content=SVG_ONLY,
        conditional=True,
    )
    route(
        declared(
            blp.arguments(PointQueryArgsSchema, location="query", unknown=RAISE)(
                blp.response(200, content_type="image/svg+xml", description="An SVG badge")(
                    kind_badge
                )
            )
        )
    )


per_kind(add_badge_route, scored=True)
