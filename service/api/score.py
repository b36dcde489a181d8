"""Scoring endpoints: a proposed control, a batch, or a stored control or watch-list item."""

from flask import g, request
from flask_smorest import abort
from marshmallow import RAISE, ValidationError

from schemas.control import ControlSchema, ScoreRequestSchema
from schemas.query import PointQueryArgsSchema, ScoreQueryArgsSchema
from schemas.references import KNOWN
from schemas.score import (
    BATCH_LIMIT,
    BatchRequestSchema,
    BatchResultSchema,
    CompareRequestSchema,
    CompareResultSchema,
    ScoreSchema,
)
from service import store
from service.kinds import Kind, what_is_scored
from service.ops.edge import Blueprint, text_errors
from service.representations.formats import formats_of
from service.representations.respond import represent
from service.scoring import (
    ModelView,
    compare,
    reference_errors,
    score_control,
)
from service.web.db import get_db
from service.web.errors import flatten_errors
from service.web.http import encoded_json_response, negotiate
from service.web.memo import keeps_answers
from service.web.model import (
    answer_bytes,
    collection_paused,
    compiled_at,
    known_ids,
    score_or_422,
    split_request,
    stored_answer,
    summary,
)
from service.web.openapi import NEGOTIATES, READS_ONE, TAKES_JSON, TAKES_QUERY, contract, noun_id
from service.web.reads import point_from
from service.web.routing import per_kind

# Schema instances, not classes: webargs would build a new Schema on every request.
POINT_ARGS = PointQueryArgsSchema()
SCORE_ARGS = ScoreQueryArgsSchema()  # the point in time, and ?detail=summary
CONTROL_SCHEMA = ControlSchema()  # one per process, not one per batch item
SCORE_REQUEST = ScoreRequestSchema()


blp = Blueprint(
    "score",
    __name__,
    url_prefix="",
    description="Score a control against each framing, with every number explained.",
)


@blp.route("/score", methods=["POST"])
@keeps_answers()
@contract(
    "scoreControl",
    "Score a proposed control against each framing",
    errors=NEGOTIATES + TAKES_JSON,
    formats="score",
)
@blp.arguments(SCORE_REQUEST, unknown=RAISE)
@blp.arguments(SCORE_ARGS, location="query", unknown=RAISE)
@blp.response(200, ScoreSchema)
def score(data, args):
    """Score a proposed control against each framing."""
    control, overrides = split_request(data)
    model = g.get("score_model") or compiled_at(point_from(args))
    if negotiate(formats_of("score")) != "json":  # other formats always explain in full
        return represent("score", score_or_422(control, model, overrides))
    raw = answer_bytes(model, control, overrides, args.get("detail", "full"))
    return encoded_json_response(raw, headers={"Vary": "Accept"})


def batch_item(raw, model: ModelView, overrides: dict | None) -> dict:
    """One batch entry: its answer, or a problem object; never sinks its neighbours."""
    try:
        if unsafe := text_errors(raw):  # the edge leaves each member's text to its own answer
            raise ValidationError(unsafe)
        control = CONTROL_SCHEMA.load(raw) if isinstance(raw, dict) else None
        if control is None:
            raise ValidationError({"_schema": ["A control must be a JSON object."]})
        errors = reference_errors({**control, "assumptions": overrides or {}}, model)
        if errors:
            raise ValidationError(errors)
    except ValidationError as error:
        return {
            "type": "/problems/validation",
            "title": "Unprocessable Entity",
            "status": 422,
            "detail": "The control failed validation.",
            "errors": flatten_errors(error.messages),
        }
    return score_control(control, model, overrides)


@blp.route("/score/batch", methods=["POST"])
@contract(
    "scoreBatch",
    f"Score up to {BATCH_LIMIT:,} controls in one request, each answered on its own",
    errors=NEGOTIATES + TAKES_JSON,
    formats="batch",
)
@blp.arguments(BatchRequestSchema(), unknown=RAISE)
@blp.arguments(SCORE_ARGS, location="query", unknown=RAISE)
@blp.response(200, BatchResultSchema)
def score_batch(data, args):
    """Score up to 1,000 controls in one request, each answered on its own."""
    controls = data["controls"]
    if len(controls) > BATCH_LIMIT:
        abort(422, errors={"controls": [f"At most {BATCH_LIMIT} controls per batch."]})
    # Compile the framings' criteria once for the whole batch, not once per control.
    model = g.get("score_model") or compiled_at(point_from(args))
    overrides = data.get("assumptions")
    errors = reference_errors({"assumptions": overrides or {}}, model) if overrides else {}
    if errors:
        abort(422, errors=errors)
    # Sorted by key: a JSON object's member order carries no meaning, so it must not change
    # the bytes of the answer.
    # The answers are dropped before the collector runs again, so it never has to walk them.
    with collection_paused():
        results = {key: batch_item(controls[key], model, overrides) for key in sorted(controls)}
        if args.get("detail") == "summary" and negotiate(formats_of("batch")) == "json":
            results = {
                key: summary(result) if "framings" in result else result
                for key, result in results.items()
            }
        response = represent("batch", {"results": results})
        del results
    return response


@blp.route("/score/compare", methods=["POST"])
@contract(
    "compareControls",
    "Score two to twenty controls side by side, ranked per framing",
    errors=NEGOTIATES + TAKES_JSON,
    formats="compare",
)
@blp.arguments(CompareRequestSchema(), unknown=RAISE)
@blp.arguments(POINT_ARGS, location="query", unknown=RAISE)
@blp.response(200, CompareResultSchema)
def score_compare(data, args):
    """Score two to twenty controls side by side, ranked per framing."""
    model = g.get("score_model") or compiled_at(point_from(args))
    overrides = data.get("assumptions")
    controls, errors = [], {}
    for i, raw in enumerate(data["controls"]):
        try:
            if unsafe := text_errors(raw):
                raise ValidationError(unsafe)
            if not isinstance(raw, dict):
                raise ValidationError({"_schema": ["A control must be a JSON object."]})
            control = CONTROL_SCHEMA.load(raw)
            if found := reference_errors({**control, "assumptions": {}}, model):
                raise ValidationError(found)
            controls.append(control)
        except ValidationError as error:
            errors.update(flatten_errors(error.messages, f"controls.{i}"))
    errors.update(reference_errors({"assumptions": overrides or {}}, model) if overrides else {})
    if errors:
        abort(422, errors=errors)
    return represent("compare", compare(controls, model, overrides))


def add_stored_score_route(kind: Kind) -> None:
    """GET /<kind>/<id>/score for the kinds whose resources carry a control."""

    @blp.route(f"/{kind.name}/<string:id_>/score", endpoint=f"score_stored_{kind.name}")
    @contract(
        f"get{noun_id(kind.name)[0]}Score",
        f"Score {what_is_scored(kind)[0]} against each framing",
        errors=NEGOTIATES + READS_ONE + TAKES_QUERY,
        formats="score",
        conditional=True,
    )
    @blp.arguments(POINT_ARGS, location="query", unknown=RAISE)
    @blp.response(200, ScoreSchema)
    def score_stored(args, id_):
        """Score the control a stored resource holds against each framing."""
        return represent("score", stored_answer(kind.name, id_, point_from(args)))


per_kind(add_stored_score_route, scored=True)


@blp.before_request
def know_the_model_s_ids():
    """Let the control schema name unknown chips and assumptions alongside type errors."""
    args = {}  # what POINT_ARGS loads from no query at all, the usual score
    if request.query_string:
        try:
            point = {k: v for k, v in request.args.items() if k in ("as_of", "release")}
            args = POINT_ARGS.load(point)
        except ValidationError:
            return  # the query's own 422 says what is wrong; ids are checked after parsing
    if args.get("release") and not store.release_exists(get_db(), args["release"]):
        return
    # The view scores against this model too.
    g.score_model = model = compiled_at(point_from(args))
    g.known_ids_token = KNOWN.set(known_ids(model))


@blp.teardown_request
def forget_the_model_s_ids(_error=None):
    token = g.pop("known_ids_token", None)
    if token is not None:
        KNOWN.reset(token)
