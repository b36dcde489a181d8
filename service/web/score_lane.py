"""POST /score below Flask: the memo's lane for a new control (service/web/memo.py).

Registered with the memo on import (service/__init__.py imports it). The lane answers only
what the score view would answer with a JSON 200 from the same steps: the edge's decoder
(edge.plain_json), the schema (its first pass, else marshmallow with the model's ids known),
the model's reference check, and answer_bytes, the view's own scorer and encoder. Anything
else is None, and the app answers it (and words its 400, 413, 415 or 422).
"""

from marshmallow import RAISE, ValidationError

from schemas.control import ScoreRequestSchema
from schemas.first_pass import first_pass
from schemas.references import KNOWN
from service.cache import LRU
from service.ops.edge import plain_json
from service.scoring import ModelView, reference_errors
from service.web import memo
from service.web.model import (
    answer_bytes,
    collection_paused,
    compiled_at,
    known_ids,
    split_request,
)
from service.web.reads import point_from

# The queries the lane knows, and the detail each asks for (as ScoreQueryArgsSchema loads it).
LANE_DETAIL = {"": "full", "detail=full": "full", "detail=summary": "summary"}
SCORE_REQUEST = ScoreRequestSchema()
MODELS = "framings.lane_models"


@memo.lane("POST", "/score")
def score_lane(app, environ: dict, body: bytes, mark: tuple) -> bytes | None:
    """The JSON answer of POST /score for `body`, or None to let the app answer: only a query
    the lane knows, a body the edge would decode without a word and a request the schema and
    the model take as they are."""
    detail = LANE_DETAIL.get(environ.get("QUERY_STRING", ""))
    document = plain_json(body) if detail is not None else None
    if not isinstance(document, dict):
        return None
    model = lane_model(app, mark)
    data = first_pass(ScoreRequestSchema, document) or loaded_or_none(document, model)
    if data is None:
        return None
    control, overrides = split_request(data)
    if reference_errors({**control, "assumptions": overrides or {}}, model):
        return None
    # Not through cached_answer: the memo keeps a lane's answers once seen twice.
    with collection_paused():  # as in a batch: the answer's objects are freed by count
        return answer_bytes(model, control, overrides, detail)


def lane_model(app, mark: tuple) -> ModelView:
    """The model a score with no query reads (the score blueprint's hook finds the same),
    kept per change mark: the mark names the database file (a replica's release with it)
    and its latest change, which is all compiled_at's own key names."""
    models = app.extensions.setdefault(MODELS, LRU(4))

    def build() -> ModelView:
        with app.app_context():
            return compiled_at(point_from({}))

    return models.get_or_build(mark, build)


def loaded_or_none(document: dict, model: ModelView) -> dict | None:
    """What the view's schema loads from `document` (unknown=RAISE), or None for its 422."""
    token = KNOWN.set(known_ids(model))
    try:
        return SCORE_REQUEST.load(document, unknown=RAISE)
    except ValidationError:
        return None
    finally:
        KNOWN.reset(token)
