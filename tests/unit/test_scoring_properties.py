"""Properties of the scorer and its schemas, checked on generated models and controls."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.control import INSTRUMENTS, LAYERS, REACHES, ControlSchema, ScoreRequestSchema
from schemas.framing import CriterionSchema, FramingSchema
from service.scoring import ModelView, score_control
from service.scoring.criteria import survival

SETTINGS = settings(max_examples=150, deadline=None)
ASSUMPTIONS = ("a1", "a2", "a3")
CHIPS = {
    "us": (1, {"origin": "us", "tpp": 4992}),
    "us-big": (1, {"origin": "us", "tpp": 36000}),
    "cn": (1, {"origin": "china", "tpp": 12800}),
}

unit = st.floats(-1, 1, allow_nan=False)
credence = st.floats(0, 1, allow_nan=False)
subset = lambda values: st.lists(st.sampled_from(values), min_size=1, max_size=3)  # noqa: E731

controls = st.fixed_dictionaries(
    {
        "name": st.just("generated"),
        "direction": st.sampled_from(["tighten", "loosen"]),
        "instrument": st.sampled_from(INSTRUMENTS),
        "layers": subset(LAYERS),
        "reach": subset(REACHES),
        "extraterritorial": st.booleans(),
        "linked_to_negotiations": st.booleans(),
        "chips": st.lists(st.sampled_from(sorted(CHIPS))),
    },
    optional={
        "threshold": st.fixed_dictionaries(
            {"basis": st.sampled_from(["fixed", "indexed"])},
            optional={"tpp": st.floats(0, 40000, allow_nan=False)},
        )
    },
)
whens = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "layers": subset(LAYERS),
            "reach": subset(REACHES),
            "instrument": st.sampled_from(INSTRUMENTS),
            "extraterritorial": st.booleans(),
        },
    ),
)
relies = st.lists(
    st.tuples(st.sampled_from(ASSUMPTIONS), st.booleans()),
    max_size=3,
    unique_by=lambda pair: pair[0],
)


@st.composite
def criteria(draw, antisymmetric=False):
    out = []
    for i in range(draw(st.integers(1, 8))):
        c = {
            "id": f"c{i}",
            "label": "generated",
            "weight": draw(st.floats(0.1, 10)),
            "relies_on": [{"assumption": a, "holds": h} for a, h in draw(relies)],
            "rationale": {"tighten": "t", "loosen": "l"},
        }
        if (when := draw(whens)) is not None:
            c["when"] = when
        v = draw(unit)
        if antisymmetric:
            c["value"] = {"tighten": v, "loosen": -v}
        elif draw(st.booleans()):
            c["value"] = {"tighten": v, "loosen": draw(unit)}
        else:
            c["bands"] = {
                "feature": "foreign_availability_ratio",
                "edges": [1.0, 1.5],
                "tighten": draw(st.lists(unit, min_size=3, max_size=3)),
                "loosen": draw(st.lists(unit, min_size=3, max_size=3)),
            }
        out.append(c)
    return out


def model_of(criteria_list, credences):
    return ModelView(
        {"f": (1, {"criteria": criteria_list})},
        {a: (1, {"assessment": {"credence": c}}) for a, c in credences.items()},
        CHIPS,
    )


credence_maps = st.fixed_dictionaries({a: credence for a in ASSUMPTIONS})


@SETTINGS
@given(controls, criteria(), credence_maps)
def test_alignment_robust_alignment_and_score_stay_in_range(control, crits, creds):
    result = score_control(control, model_of(crits, creds))["framings"]["f"]
    assert -1 <= result["alignment"] <= 1 and -1 <= result["robust_alignment"] <= 1
    assert 0 <= result["score"] <= 100


@SETTINGS
@given(controls, criteria(antisymmetric=True), credence_maps)
def test_flipping_direction_negates_every_applicable_antisymmetric_value(control, crits, creds):
    m = model_of(crits, creds)
    flipped = {**control, "direction": "loosen" if control["direction"] == "tighten" else "tighten"}
    a, b = (score_control(c, m)["framings"]["f"] for c in (control, flipped))
    for row_a, row_b in zip(a["criteria"], b["criteria"], strict=True):
        assert row_a["applicable"] == row_b["applicable"]
        if row_a["applicable"]:
            assert row_b["value"] == -row_a["value"]
    assert b["alignment"] == pytest.approx(-a["alignment"], abs=1e-4)


@SETTINGS
@given(relies, credence_maps, st.sampled_from(ASSUMPTIONS), credence, credence)
def test_raising_a_credence_never_lowers_the_weight_of_criteria_needing_it_to_hold(
    pairs, creds, assumption, low, high
):
    low, high = min(low, high), max(low, high)
    before = survival(tuple(pairs), {**creds, assumption: low})
    after = survival(tuple(pairs), {**creds, assumption: high})
    if (assumption, True) in pairs:
        assert after >= before
    elif (assumption, False) in pairs:
        assert after <= before
    else:
        assert after == before


@SETTINGS
@given(controls, criteria(), credence_maps)
def test_robust_alignment_never_exceeds_the_undiscounted_magnitude(control, crits, creds):
    result = score_control(control, model_of(crits, creds))["framings"]["f"]
    applicable = [r for r in result["criteria"] if r["applicable"]]
    if not applicable:
        return
    total = sum(r["weight"] for r in applicable)
    bound = sum(r["weight"] * abs(r["value"]) for r in applicable) / total
    assert abs(result["robust_alignment"]) <= bound + 1e-4
    if all(r["value"] >= 0 for r in applicable) or all(r["value"] <= 0 for r in applicable):
        # one-signed: doubt can only shrink the alignment, never flip or grow it
        assert abs(result["robust_alignment"]) <= abs(result["alignment"]) + 1e-4
        assert result["robust_alignment"] * result["alignment"] >= 0


def test_robust_alignment_can_exceed_alignment_when_criteria_pull_both_ways():
    """Why the bound above is not |alignment|: doubt can discount the side that cancels."""
    crits = [
        {
            "id": "sure",
            "label": "l",
            "weight": 1,
            "value": {"tighten": 1, "loosen": -1},
            "rationale": {"tighten": "t", "loosen": "l"},
        },
        {
            "id": "doubtful",
            "label": "l",
            "weight": 1,
            "value": {"tighten": -1, "loosen": 1},
            "relies_on": [{"assumption": "a1", "holds": True}],
            "rationale": {"tighten": "t", "loosen": "l"},
        },
    ]
    control = {
        "name": "x",
        "direction": "tighten",
        "instrument": "guidance",
        "layers": ["hbm"],
        "reach": ["global"],
    }
    result = score_control(control, model_of(crits, {"a1": 0.2}))["framings"]["f"]
    assert (result["alignment"], result["robust_alignment"]) == (0.0, 0.4)


@SETTINGS
@given(controls, criteria(), credence_maps)
def test_robust_impact_is_linear_in_each_credence_with_slope_delta_below_its_clamp(
    control, crits, creds
):
    m = model_of(crits, creds)
    result = score_control(control, m)["framings"]["f"]
    for row in result["sensitivity"]:
        at_zero = score_control(control, m, {row["assumption"]: 0})["framings"]["f"]
        predicted = at_zero["robust_impact"] + row["credence"] * row["delta"]
        if max(abs(at_zero["robust_impact"]), abs(predicted)) < 1:
            assert result["robust_impact"] == pytest.approx(predicted, abs=5e-4)


@SETTINGS
@given(controls, criteria(), credence_maps)
def test_scoring_is_deterministic_and_json_serialisable(control, crits, creds):
    m = model_of(crits, creds)
    assert json.dumps(score_control(control, m)) == json.dumps(score_control(control, m))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
control_like = st.fixed_dictionaries(
    {},
    optional={
        key: json_values | strategy
        for key, strategy in {
            "name": st.text(max_size=5),
            "direction": st.sampled_from(["tighten", "loosen"]),
            "instrument": st.sampled_from(INSTRUMENTS),
            "layers": subset(LAYERS),
            "reach": subset(REACHES),
            "threshold": json_values,
            "chips": json_values,
            "assumptions": st.dictionaries(st.sampled_from(ASSUMPTIONS), json_values),
        }.items()
    },
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([ControlSchema, ScoreRequestSchema, CriterionSchema, FramingSchema]),
    json_values | control_like,
)
def test_schemas_answer_any_json_with_data_or_a_validation_error(schema, data):
    try:
        schema().load(data)
    except ValidationError as error:
        assert isinstance(error.messages, dict | list)


@settings(max_examples=200, deadline=None)
@given(control_like, criteria(), credence_maps)
def test_any_control_the_schema_accepts_can_be_scored(data, crits, creds):
    try:
        request = ScoreRequestSchema().load(data)
    except ValidationError:
        return
    overrides = {a: c for a, c in request.pop("assumptions", {}).items() if a in ASSUMPTIONS}
    score_control(request, model_of(crits, creds), overrides)
