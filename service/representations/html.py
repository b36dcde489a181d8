"""The browsable HTML face: one server-rendered Jinja template per answer shape.

Each renderer receives the same JSON-ready data the API answers with (see representations.py),
so the HTML never shows anything the JSON does not; the home page alone reads more of the model.
Jinja's autoescape covers every value, titles written by editors included.
"""

from flask import Flask, render_template, request
from flask_smorest import abort
from marshmallow import EXCLUDE, ValidationError

from schemas.query import PointQueryArgsSchema
from schemas.watchlist import STATUSES as WATCH_STATUSES
from service import store
from service.kinds import KINDS
from service.representations import helpers as html_helpers
from service.representations.formats import register_format, renderer
from service.representations.presentation import PRESENTATIONS
from service.web.db import get_db
from service.web.reads import point_from

register_format(
    "html", "text/html", description="A page for a browser (?format=html or Accept: text/html)"
)
LIMIT = 10_000  # the model is small: the home page shows all of it


def register(app: Flask) -> None:
    """Give every template the helpers as `h`; the renderers registered on import."""
    app.jinja_env.globals["h"] = html_helpers
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def home_point() -> store.Point:
    """The home page honours ?as_of= and ?release= like every other read."""
    try:
        # The index itself takes no other arguments, so others are ignored, as in JSON.
        args = PointQueryArgsSchema().load(request.args, unknown=EXCLUDE)
    except ValidationError as error:
        abort(422, errors={"query": error.messages})
    return point_from(args)


def home_model(point: store.Point) -> dict:
    """The framings, the assumptions in their order and the watch-list grouped by status."""
    db = get_db()
    framings = store.list_current(db, "framings", point, limit=LIMIT)
    assumptions = store.list_current(db, "assumptions", point, limit=LIMIT)
    assumptions.sort(key=lambda v: (v.body.get("number", 0), v.id))
    watchlist = store.list_current(db, "watchlist", point, limit=LIMIT)
    groups = [
        (status, [v for v in watchlist if v.body.get("status") == status])
        for status in WATCH_STATUSES
    ]
    return {
        "framings": framings,
        "assumptions": assumptions,
        "watch_groups": [(status, items) for status, items in groups if items],
    }


@renderer("index", "html")
def index_page(data: dict, context: dict) -> str:
    """The home page: framings side by side, assumptions, and the watch-list by status."""
    point = home_point()
    return render_template("index.html", api=data, point=point, **home_model(point))


@renderer("version", "html")
def version_page(data: dict, context: dict) -> str:
    """One version of one resource, rendered per kind, with its citation and history links."""
    head = store.head_version(get_db(), data["kind"], data["id"])
    return render_template(
        "version.html", v=data, body=data.get("body") or {}, head=head, kind=KINDS[data["kind"]]
    )


@renderer("page", "html")
def list_page(data: dict, context: dict) -> str:
    """A list of resources of one kind as a table."""
    kind = context["kind"]
    return render_template(
        "page.html", page=data, kind=kind, columns=PRESENTATIONS[kind.name].list_columns
    )


@renderer("history", "html")
def history_page(data: dict, context: dict) -> str:
    """The versions of one resource, each with a link to its diff from the one before."""
    kind = context["kind"]
    return render_template("history.html", page=data, kind=kind, id=context["id"])


@renderer("diff", "html")
def diff_page(data: dict, context: dict) -> str:
    """A JSON Patch between two versions as a table of path, old value and new value."""
    return render_template("diff.html", diff=data, kind=KINDS[data["kind"]])


@renderer("score", "html")
def score_page(data: dict, context: dict) -> str:
    """A score: the verdict, each framing's numbers, criteria and sensitivity."""
    return render_template("score.html", answer=data, **context)


@renderer("changes", "html")
def changes_page(data: dict, context: dict) -> str:
    """The change feed as a table, oldest first."""
    return render_template("changes.html", page=data)


@renderer("releases", "html")
def releases_page(data: dict, context: dict) -> str:
    """The named releases as a table."""
    return render_template("releases.html", page=data)


@renderer("release", "html")
def release_page(data: dict, context: dict) -> str:
    """One release and its manifest, each entry linking to the version it froze."""
    return render_template("release.html", release=data)


@renderer("review", "html")
def review_page(data: dict, context: dict) -> str:
    """What is due for review, oldest review first."""
    return render_template("review.html", review=data)
