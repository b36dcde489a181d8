"""Pictures: the trajectory of stored controls and an assumption's credence history.

JSON, Markdown and CSV by negotiation, and SVG charts at `.svg` paths, embeddable like the
badges: the same Cache-Control (a release never changes, the live model may at any write) and
an ETag of the bytes with If-None-Match answered by a 304 (service/web/preconditions.py).
"""

from flask import Response
from flask_smorest import abort
from marshmallow import RAISE

from schemas.charts import CredenceSchema, TrajectorySchema
from schemas.query import PointQueryArgsSchema, TrajectoryQueryArgsSchema
from service.kinds import KINDS
from service.ops.edge import Blueprint
from service.representations.charts import credence_svg
from service.representations.png import NoConverter, png_of
from service.representations.respond import represent
from service.representations.trajectory import trajectory_svg
from service.web.http import chart_cache_control
from service.web.openapi import (
    NEGOTIATES,
    PNG_ONLY,
    READS_ONE,
    SVG_ONLY,
    TAKES_QUERY,
    contract,
)
from service.web.reads import current_or_error, point_from
from service.web.trajectory import credence_at, trajectory

POINT_ARGS = PointQueryArgsSchema()
TRAJECTORY_ARGS = TrajectoryQueryArgsSchema()
FILTERS = ("instrument", "targets", "status")
blp = Blueprint(
    "charts",
    __name__,
    url_prefix="",
    description="The trajectory of US policy under each framing, and credence histories.",
)


def svg_response(svg: str, point) -> Response:
    headers = {"Cache-Control": chart_cache_control(point)}
    return Response(svg, 200, headers=headers, content_type="image/svg+xml; charset=utf-8")


def png_response(svg: str, point) -> Response:
    """The chart as PNG; a 501 where the server has no converter (the SVG is always there)."""
    try:
        png = png_of(svg)
    except NoConverter as error:
        abort(501, message=f"PNG charts are not available here ({error}); use the .svg URL.")
    headers = {"Cache-Control": chart_cache_control(point)}
    return Response(png, 200, headers=headers, content_type="image/png")


def _trajectory(args):
    point = point_from(args)
    return point, trajectory(point, {k: args[k] for k in FILTERS if k in args})


@blp.route("/trajectory")
@contract(
    "getTrajectory",
    "Every stored control scored on its own date and now, by date, per framing",
    errors=NEGOTIATES + TAKES_QUERY,
    formats="trajectory",
    conditional=True,
)
@blp.arguments(TRAJECTORY_ARGS, location="query", unknown=RAISE)
@blp.response(200, TrajectorySchema)
def trajectory_read(args):
    """Every stored control scored on its own date and now, by date, per framing."""
    point, data = _trajectory(args)
    return represent("trajectory", data, headers={"Cache-Control": chart_cache_control(point)})


@blp.route("/trajectory.svg")
@contract(
    "getTrajectoryChart",
    "The trajectory as an SVG chart (date on x, impact per framing on y)",
    errors=TAKES_QUERY,
    content=SVG_ONLY,
    conditional=True,
)
@blp.arguments(TRAJECTORY_ARGS, location="query", unknown=RAISE)
@blp.response(200, content_type="image/svg+xml", description="An SVG chart")
def trajectory_chart(args):
    """The trajectory as an SVG chart: date on x, impact per framing on y."""
    point, data = _trajectory(args)
    return svg_response(trajectory_svg(data), point)


@blp.route("/trajectory.png")
@contract(
    "getTrajectoryChartPng",
    "The trajectory chart as PNG, for wikis that hotlink only bitmaps",
    errors=TAKES_QUERY + (501,),
    content=PNG_ONLY,
    conditional=True,
)
@blp.arguments(TRAJECTORY_ARGS, location="query", unknown=RAISE)
@blp.response(200, content_type="image/png", description="A PNG chart")
def trajectory_png(args):
    """The trajectory chart as PNG, for wikis that hotlink only bitmaps."""
    point, data = _trajectory(args)
    return png_response(trajectory_svg(data), point)


def _credence(args, id_):
    point = point_from(args)
    current = current_or_error(KINDS["assumptions"], id_, point)
    return point, credence_at(point, id_, current)


@blp.route("/assumptions/<string:id_>/credence")
@contract(
    "getAssumptionCredence",
    "An assumption's credence over time, with its dated evidence and status changes",
    errors=NEGOTIATES + READS_ONE + TAKES_QUERY,
    formats="credence",
    conditional=True,
)
@blp.arguments(POINT_ARGS, location="query", unknown=RAISE)
@blp.response(200, CredenceSchema)
def credence_read(args, id_):
    """An assumption's credence over time, its dated evidence and its status changes."""
    point, data = _credence(args, id_)
    return represent("credence", data, headers={"Cache-Control": chart_cache_control(point)})


@blp.route("/assumptions/<string:id_>/credence.svg")
@contract(
    "getAssumptionCredenceChart",
    "An assumption's credence history as an SVG step chart",
    errors=READS_ONE + TAKES_QUERY,
    content=SVG_ONLY,
    conditional=True,
)
@blp.arguments(POINT_ARGS, location="query", unknown=RAISE)
@blp.response(200, content_type="image/svg+xml", description="An SVG chart")
def credence_chart(args, id_):
    """An assumption's credence history as an SVG step chart with its evidence marked."""
    point, data = _credence(args, id_)
    return svg_response(credence_svg(data), point)


@blp.route("/assumptions/<string:id_>/credence.png")
@contract(
    "getAssumptionCredenceChartPng",
    "An assumption's credence chart as PNG, for wikis that hotlink only bitmaps",
    errors=READS_ONE + TAKES_QUERY + (501,),
    content=PNG_ONLY,
    conditional=True,
)
@blp.arguments(POINT_ARGS, location="query", unknown=RAISE)
@blp.response(200, content_type="image/png", description="A PNG chart")
def credence_png(args, id_):
    """An assumption's credence chart as PNG, for wikis that hotlink only bitmaps."""
    point, data = _credence(args, id_)
    return png_response(credence_svg(data), point)
