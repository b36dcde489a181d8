"""The body of a framing, and the small language its criteria are written in.

The vocabulary of that language (which fields a `when` may name, which numbers a band may cut)
lives here, beside the schema that enforces it; service/scoring/features.py computes exactly
these features, and a test holds the two together.
"""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.common import QuoteSchema, Slug, StrictSchema, sources_field, text
from schemas.control import (
    BASES,
    DIRECTIONS,
    INSTRUMENTS,
    LAYERS,
    REACHES,
    TARGETS,
    Boolean,
    Number,
    one_of,
)

CLASSIFICATIONS = ("transactional", "foundational", "indeterminate")
ORIGINS = ("us", "china")

# Fields a `when` may name -> (kind, allowed values). "enum": one value per control; "set": a
# list per control; "bool": true/false; "slugs": ids (existence is checked elsewhere).
WHEN_FIELDS: dict[str, tuple[str, tuple | None]] = {
    "direction": ("enum", DIRECTIONS),
    "instrument": ("enum", INSTRUMENTS),
    "layers": ("set", LAYERS),
    "reach": ("set", REACHES),
    "targets": ("set", TARGETS),
    "extraterritorial": ("bool", None),
    "linked_to_negotiations": ("bool", None),
    "chips": ("slugs", None),
    # derived by the scorer
    "threshold_basis": ("enum", BASES),
    "has_threshold": ("bool", None),
    "has_chips": ("bool", None),
    "chip_origins": ("set", ORIGINS),
    "classification": ("enum", CLASSIFICATIONS),
    "foreign_availability_known": ("bool", None),
    "inference_only": ("bool", None),
}

# Derived numbers a criterion may band on; unknown values make the criterion not applicable.
BAND_FEATURES = (
    "foreign_availability_ratio",
    "covered_tpp",
    "frontier_tpp",
    "threshold_tpp",
    "threshold_performance_density",
    "threshold_memory_bandwidth_tbps",
)


def when_value_errors(name: str, value) -> list[str]:
    """Problems with one `when` entry: the field must exist and its values be allowed."""
    if name not in WHEN_FIELDS:
        return [f"Unknown field. Allowed: {', '.join(WHEN_FIELDS)}."]
    kind, allowed = WHEN_FIELDS[name]
    if kind == "bool":
        return [] if isinstance(value, bool) else ["Must be true or false."]
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        return ["Must be a string or a non-empty list of strings."]
    if allowed is None:
        bad = [v for v in values if Slug.regex.match(v) is None]
        return [f"Not valid id(s): {', '.join(bad)}."] if bad else []
    bad = [v for v in values if v not in allowed]
    return [f"Unknown value(s): {', '.join(bad)}. Allowed: {', '.join(allowed)}."] if bad else []


def condition_errors(condition) -> dict:
    if not isinstance(condition, dict):
        return {"_schema": ["Must be an object of field: value(s)."]}
    errors = {name: when_value_errors(name, value) for name, value in condition.items()}
    return {name: messages for name, messages in errors.items() if messages}


class When(fields.Field):
    """A condition object, or a non-empty list of them (any one matching is enough)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list):
            if not value:
                raise ValidationError("Give at least one condition object.")
            errors = {i: e for i, e in enumerate(map(condition_errors, value)) if e}
        else:
            errors = condition_errors(value)
        if errors:
            raise ValidationError(errors)
        return value


def unit_value(**kwargs) -> Number:
    return Number(validate=validate.Range(-1, 1, error="Must be between -1 and 1."), **kwargs)


class DirectionValuesSchema(StrictSchema):
    tighten = unit_value(required=True)
    loosen = unit_value(required=True)


class RationaleText(fields.Field):
    """One text, or (for a banded criterion) one text per band, so each is true of its band."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip():
            return value
        if (
            isinstance(value, list)
            and value
            and all(isinstance(t, str) and t.strip() for t in value)
        ):
            return value
        raise ValidationError(
            "Must be a non-empty text, or a list of non-empty texts (one per band)."
        )


class RationaleSchema(StrictSchema):
    tighten = RationaleText(required=True)
    loosen = RationaleText(required=True)


class RelianceSchema(StrictSchema):
    assumption = fields.String(
        required=True,
        validate=validate.Regexp(r"^a[1-9][0-9]*$", error="Must be an assumption id like a1."),
    )
    holds = Boolean(required=True)


class BandsSchema(StrictSchema):
    """Cut a derived number at `edges`; a value equal to an edge falls in the band above it."""

    feature = fields.String(required=True, validate=one_of(BAND_FEATURES))
    edges = fields.List(Number(), required=True, validate=validate.Length(min=1))
    # null: the criterion does not apply in that band (another criterion speaks to it)
    tighten = fields.List(unit_value(allow_none=True), required=True)
    loosen = fields.List(unit_value(allow_none=True), required=True)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def check_shape(self, data, original, **kwargs):
        # Check the input as sent: marshmallow drops bad items from `data`, and a shortened
        # list would give misleading order and count errors on top of the item's own error.
        edges = original.get("edges") if isinstance(original, dict) else None
        if not isinstance(edges, list) or data.get("edges") != edges:
            return
        errors = {}
        if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            errors["edges"] = ["Edges must be strictly increasing (sorted, no duplicates)."]
        for direction in DIRECTIONS:
            values = original.get(direction)
            if isinstance(values, list) and len(values) != len(edges) + 1:
                errors[direction] = [f"Give {len(edges) + 1} values: one per band (edges + 1)."]
        if errors:
            raise ValidationError(errors)


class CriterionSchema(StrictSchema):
    id = fields.String(required=True, validate=Slug)
    label = text(max_length=300)
    weight = Number(
        required=True,
        validate=validate.Range(
            min=0.001, max=1000, error="Must be at least 0.001 and at most 1000."
        ),
        metadata={
            "description": "At least 0.001: smaller weights vanish at the scorer's precision"
        },
    )
    relies_on = fields.List(fields.Nested(RelianceSchema))
    when = When(metadata={"description": "Condition object(s); absent means always applicable"})
    value = fields.Nested(DirectionValuesSchema)
    bands = fields.Nested(BandsSchema)
    rationale = fields.Nested(RationaleSchema, required=True)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def check_value_and_reliance(self, data, original, **kwargs):
        # Presence is judged on the input as sent: an invalid `value` is absent from `data`.
        if not isinstance(original, dict):
            return
        errors = {}
        if ("value" in original) == ("bands" in original):
            errors["value"] = ["Give exactly one of value or bands."]
        named = [r.get("assumption") for r in data.get("relies_on") or []]
        named = [a for a in named if a is not None]
        if len(named) != len(set(named)):
            errors["relies_on"] = ["Name each assumption at most once."]
        errors.update(rationale_shape_errors(original))
        if errors:
            raise ValidationError(errors)


def rationale_shape_errors(original: dict) -> dict:
    """A list of rationales needs bands, and then exactly one text per band."""
    rationale, bands = original.get("rationale"), original.get("bands")
    if not isinstance(rationale, dict):
        return {}
    errors = {}
    for direction, texts in rationale.items():
        if not isinstance(texts, list):
            continue
        if not isinstance(bands, dict):
            errors[direction] = ["Give one text: a list of texts is for banded criteria only."]
        elif isinstance(bands.get("edges"), list) and len(texts) != len(bands["edges"]) + 1:
            errors[direction] = [f"Give {len(bands['edges']) + 1} texts: one per band."]
    return {"rationale": errors} if errors else {}


class ExemplarSchema(StrictSchema):
    title = text(max_length=300)
    control = fields.String(validate=Slug)


class FramingAssumptionSchema(StrictSchema):
    assumption = fields.String(required=True, validate=Slug)
    holds = Boolean(required=True)
    why = text()


class FramingSchema(StrictSchema):
    title = text(max_length=300)
    summary = text()
    prescription = text()
    premise = text()
    objective = text()
    proponents = fields.List(fields.String(validate=validate.Length(min=1)), required=True)
    exemplars = fields.List(fields.Nested(ExemplarSchema), required=True)
    assumptions = fields.List(fields.Nested(FramingAssumptionSchema), required=True)
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1)
    )
    criteria_note = fields.String(
        validate=validate.Length(min=1, max=5000),
        metadata={
            "description": "Where the criteria come from when they were written later than "
            "the version's date: restated in the seed's terms, and which version first "
            "carried each criterion."
        },
    )
    quotes = fields.List(fields.Nested(QuoteSchema))
    sources = sources_field()

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def unique_criterion_ids(self, data, original, **kwargs):
        # Index into the input as sent, so the error points at the right item even when
        # earlier items were invalid (and so dropped from `data`).
        criteria = original.get("criteria") if isinstance(original, dict) else None
        seen: set[str] = set()
        errors = {}
        for index, criterion in enumerate(criteria if isinstance(criteria, list) else []):
            id_ = criterion.get("id") if isinstance(criterion, dict) else None
            if not isinstance(id_, str):
                continue
            if id_ in seen:
                errors[index] = {"id": [f"Duplicate criterion id '{id_}'."]}
            seen.add(id_)
        if errors:
            raise ValidationError({"criteria": errors})

    @validates_schema(skip_on_field_errors=True)
    def assumptions_carry_weight(self, data, **kwargs):
        """The assumptions a framing lists are exactly those its criteria rely on, same polarity.

        Otherwise what-if and as_of cannot move the score the way the analysis says they should.
        """
        listed = {(a["assumption"], a["holds"]) for a in data.get("assumptions", [])}
        relied = {
            (r["assumption"], r["holds"])
            for c in data.get("criteria", [])
            for r in c.get("relies_on", [])
        }
        errors: dict = {}
        if unused := sorted(listed - relied):
            errors["assumptions"] = [
                f"Listed but relied on by no criterion: {said(unused)}. Every assumption the "
                "framing rests on must carry weight in at least one criterion."
            ]
        for i, criterion in enumerate(data.get("criteria", [])):
            for j, r in enumerate(criterion.get("relies_on", [])):
                if (r["assumption"], r["holds"]) not in listed:
                    errors.setdefault("criteria", {}).setdefault(i, {"relies_on": {}})["relies_on"][
                        j
                    ] = {
                        "assumption": [
                            f"Relies on {said([(r['assumption'], r['holds'])])}, which the "
                            f"framing's assumptions do not list ({said(sorted(listed))})."
                        ]
                    }
        if errors:
            raise ValidationError(errors)


def said(pairs) -> str:
    """'a3 holding, a5 not holding': assumption ids with the polarity relied on."""
    return ", ".join(f"{a} {'holding' if holds else 'not holding'}" for a, holds in pairs)
