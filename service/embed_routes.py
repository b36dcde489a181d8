"""Embeds for wikis: a self-contained HTML page (or its Markdown twin) and SVG score badges."""

import hashlib
import json
from xml.sax.saxutils import escape, quoteattr

from flask import Response, render_template
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from schemas.query import PointQueryArgsSchema
from service import html_embed, html_helpers, preconditions
from service.http import MIMETYPES, envelope, negotiate
from service.kinds import KINDS
from service.representations import RENDERERS
from service.resources import current_or_error, point_from
from service.score_routes import stored_answer
from service.store import Point, Version
from service.timeutil import http_date

blp = Blueprint(
    "embed",
    __name__,
    url_prefix="",
    description="Embeds for wikis: HTML pages, their Markdown twins, SVG badges.",
)

# The live model can change at any write; a release never does.
LIVE_CACHE = "public, max-age=300"
FROZEN_CACHE = "public, max-age=31536000, immutable"
COLOURS = {
    "strongly_aligned": "#2e7d32",
    "aligned": "#5b8c1a",
    "neutral": "#6b7280",
    "opposed": "#c2410c",
    "strongly_opposed": "#b3261e",
    "not_applicable": "#9ca3af",
}
CHAR_WIDTH, PAD, HEIGHT = 6.6, 8, 20


def cache_control(point: Point) -> str:
    return FROZEN_CACHE if point.release else LIVE_CACHE


def fragment(version: Version, fmt: str) -> str:
    """The embed in HTML (a whole page), or its Markdown twin: the version's own Markdown."""
    if fmt == "md":
        return RENDERERS[("version", "md")](envelope(version), {"version": version})
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
@blp.arguments(PointQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, content_type="text/html", description="A whole HTML page to frame (or Markdown)")
@blp.alt_response(304, description="Not modified (If-None-Match matched)")
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
    response = Response(fragment(version, fmt), 200, headers=headers, mimetype=MIMETYPES[fmt])
    response.charset = "utf-8"
    return response


def segment(x: float, text: str, colour: str) -> tuple[str, float]:
    """One coloured box of the badge with its centred text; returns (svg, width)."""
    width = round(len(text) * CHAR_WIDTH + 2 * PAD, 1)
    svg = (
        f'<rect x="{x}" width="{width}" height="{HEIGHT}" fill="{colour}"/>'
        f'<text x="{round(x + width / 2, 1)}" y="14">{escape(text)}</text>'
    )
    return svg, width


def badge_svg(name: str, scores: list[tuple[str, int, str]]) -> str:
    """A shields-style badge: "framings" then "<framing> <score>" per framing, by label colour."""
    parts, x = [], 0.0
    for text, colour in [("framings", "#374151")] + [
        (f"{fid} {score}", COLOURS.get(label, "#6b7280")) for fid, score, label in scores
    ]:
        svg, width = segment(x, text, colour)
        parts.append(svg)
        x = round(x + width, 1)
    summary = " | ".join(
        f"{fid} {score} ({label.replace('_', ' ')})" for fid, score, label in scores
    )
    title = f"{name}: {summary}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="{HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
        f'<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" fill="#fff" '
        f'text-anchor="middle">{"".join(parts)}</g></svg>'
    )


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
    scores = [(fid, f["score"], f["label"]) for fid, f in answer["framings"].items()]
    svg = badge_svg(answer["control"]["name"], scores)
    return Response(svg, 200, headers=headers, content_type="image/svg+xml; charset=utf-8")


@blp.route("/controls/<string:id_>/badge.svg")
@blp.arguments(PointQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, content_type="image/svg+xml", description="An SVG badge")
@blp.alt_response(304, description="Not modified (If-None-Match matched)")
def control_badge(args, id_):
    """An SVG badge of a stored control's score under each framing."""
    return badge("controls", id_, args)


@blp.route("/watchlist/<string:id_>/badge.svg")
@blp.arguments(PointQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, content_type="image/svg+xml", description="An SVG badge")
@blp.alt_response(304, description="Not modified (If-None-Match matched)")
def watchlist_badge(args, id_):
    """An SVG badge of a watch-list item's score under each framing (items with a control)."""
    return badge("watchlist", id_, args)
