"""The HTML form that scores a control: the same validation and scorer as POST /score.

A browser posts application/x-www-form-urlencoded fields; they become a control dict, which goes
through ControlSchema and the model's reference checks exactly as a JSON body would. A bad form
comes back filled in, with each field's messages, as a 422.
"""

from flask import Response, render_template, request
from flask_smorest import Blueprint
from marshmallow import RAISE, ValidationError
from werkzeug.datastructures import MultiDict

from schemas.control import (
    BASES,
    BREADTHS,
    DIRECTIONS,
    IMPOSERS,
    INSTRUMENTS,
    LAYERS,
    REACHES,
    STAGES,
    STRINGENCIES,
    TARGETS,
    ControlSchema,
)
from schemas.form import FormQueryArgsSchema
from service import store
from service.scoring import reference_errors, score_control
from service.web.db import get_db
from service.web.errors import flatten_errors
from service.web.model import model_at
from service.web.openapi import HTML_ONLY, TAKES_QUERY, contract

blp = Blueprint(
    "html",
    __name__,
    url_prefix="",
    description="The browsable HTML face: a form that scores a control.",
)

FORM_FIELDS = {
    "name": "string",
    "description": "string",
    "direction": "string",
    "instrument": "string",
    "layers": "array",
    "reach": "array",
    "extraterritorial": "string",
    "linked_to_negotiations": "string",
    "threshold_basis": "string",
    "threshold_tpp": "string",
    "chips": "array",
    "targets": "array",
    "imposed_by": "string",
    "breadth": "string",
    "stringency": "string",
    "stage": "string",
}
# The optional enums of scorer 3 (who imposes, and effect size): left blank, they are derived.
OPTIONAL_CHOICES = {
    "imposed_by": IMPOSERS,
    "breadth": BREADTHS,
    "stringency": STRINGENCIES,
    "stage": STAGES,
}
FORM_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["name", "direction", "instrument", "layers", "reach"],
                "properties": {
                    name: {
                        "type": kind,
                        **({"items": {"type": "string"}} if kind == "array" else {}),
                    }
                    for name, kind in FORM_FIELDS.items()
                },
            }
        }
    },
}


def parse_number(text: str):
    """A typed number as int or float; anything else stays text so the schema names it.
    Only ASCII digits make numbers: Python would also read "٣" or "1_000"."""
    if not text.isascii() or "_" in text:
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def threshold_from(form) -> dict | None:
    basis, tpp = form.get("threshold_basis", ""), form.get("threshold_tpp", "").strip()
    if not basis and not tpp:
        return None
    threshold = {"basis": basis} if basis else {}
    if tpp:
        threshold["tpp"] = parse_number(tpp)
    return threshold


def control_from(form) -> dict:
    """The control a form stands for; empty text fields are left out, so 'required' says so."""
    control = {
        key: form[key].strip()
        for key in ("name", "description", "direction", "instrument", *OPTIONAL_CHOICES)
        if form.get(key, "").strip()
    }
    control["layers"] = form.getlist("layers")
    control["reach"] = form.getlist("reach")
    control["extraterritorial"] = "extraterritorial" in form
    control["linked_to_negotiations"] = "linked_to_negotiations" in form
    if (threshold := threshold_from(form)) is not None:
        control["threshold"] = threshold
    if chips := form.getlist("chips"):
        control["chips"] = chips
    if targets := form.getlist("targets"):  # none ticked: the scorer derives and says so
        control["targets"] = targets
    return control


def form_values(control: dict) -> MultiDict:
    """The form fields that show a stored control, so a reader can score a variation of it."""
    values = MultiDict({k: v for k, v in control.items() if isinstance(v, str)})
    for key in ("layers", "reach", "chips", "targets"):
        values.setlist(key, control.get(key) or [])
    for key in ("extraterritorial", "linked_to_negotiations"):
        if control.get(key):
            values[key] = "on"
    threshold = control.get("threshold") or {}
    values["threshold_basis"] = threshold.get("basis", "")
    values["threshold_tpp"] = str(threshold.get("tpp", ""))
    return values


def field_of(path: str) -> str:
    """The form field an error path names: layers.0 -> layers, threshold.tpp -> threshold_tpp."""
    head, _, rest = path.partition(".")
    if head == "threshold":
        return "threshold_" + (rest.split(".")[0] if rest else "basis")
    return head


def form_page(values: MultiDict, errors: dict | None = None, status: int = 200) -> Response:
    by_field: dict[str, list[str]] = {}
    for path, messages in (errors or {}).items():
        by_field.setdefault(field_of(path), []).extend(messages)
    chips = store.list_current(get_db(), "chips", limit=10_000)
    text = render_template(
        "form.html",
        values=values,
        errors=errors or {},
        by_field=by_field,
        chips=chips,
        directions=DIRECTIONS,
        instruments=INSTRUMENTS,
        layers=LAYERS,
        reaches=REACHES,
        targets=TARGETS,
        bases=BASES,
        optional_choices=OPTIONAL_CHOICES,
    )
    return Response(text, status, mimetype="text/html")


def prefill(control_id: str | None) -> MultiDict:
    if control_id is None:
        return MultiDict()
    version = store.get_current(get_db(), "controls", control_id)
    if version is None or version.deleted:
        return MultiDict()
    return form_values(version.body.get("control") or {})


@blp.route("/score/form", methods=["GET"])
@contract(
    "getScoreForm",
    "An HTML form that scores a control against each framing",
    errors=TAKES_QUERY,
    content=HTML_ONLY,
    conditional=True,
)
@blp.arguments(FormQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, content_type="text/html", description="An HTML form")
def score_form(args):
    """An HTML form to score a control against each framing."""
    return form_page(prefill(args.get("control")))


@blp.route("/score/form", methods=["POST"])
@contract(
    "submitScoreForm",
    "Score the control a submitted HTML form describes",
    errors=(413,),
    content=HTML_ONLY,
    responses={
        422: {
            "description": "The form again, filled in, with each field's messages.",
            "content": HTML_ONLY,
        }
    },
)
@blp.doc(requestBody=FORM_BODY)
@blp.response(200, content_type="text/html", description="The score as an HTML page")
def score_form_submit():
    """Score the control a submitted HTML form describes."""
    form = request.form
    control = control_from(form)
    model = model_at(store.Point())
    try:
        control = ControlSchema().load(control, unknown=RAISE)
        if errors := reference_errors(control, model):
            raise ValidationError(errors)
    except ValidationError as error:
        return form_page(form, flatten_errors(error.messages), 422)
    answer = score_control(control, model)
    return Response(render_template("score.html", answer=answer), 200, mimetype="text/html")
