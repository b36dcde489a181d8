"""The control, score-request and framing schemas: every offending field is named."""

import copy

import pytest
from marshmallow import ValidationError

from schemas.control import ControlSchema, ScoreRequestSchema
from schemas.framing import CriterionSchema, FramingSchema

CONTROL = {
    "name": "A control",
    "direction": "tighten",
    "instrument": "guidance",
    "layers": ["hbm"],
    "reach": ["global"],
}
CRITERION = {
    "id": "c",
    "label": "A criterion",
    "weight": 2,
    "relies_on": [{"assumption": "a1", "holds": True}],
    "when": {"layers": ["hbm"]},
    "value": {"tighten": 1, "loosen": -1},
    "rationale": {"tighten": "why tighten", "loosen": "why loosen"},
}
BANDED = {
    **{k: v for k, v in CRITERION.items() if k != "value"},
    "bands": {
        "feature": "foreign_availability_ratio",
        "edges": [1.0, 1.5],
        "tighten": [-1, -0.5, 0.5],
        "loosen": [1, 0.5, -0.5],
    },
}
SOURCE = {"title": "T", "publisher": "P", "date": "2025-07-21"}
FRAMING = {
    "title": "F",
    "summary": "s",
    "prescription": "p",
    "premise": "p",
    "objective": "o",
    "proponents": ["x"],
    "exemplars": [{"title": "e", "control": "oct-2022-rule"}],
    "assumptions": [{"assumption": "a1", "holds": True, "why": "w"}],
    "criteria": [CRITERION],
    "sources": [SOURCE],
}


def errors_of(schema, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def criterion_errors(**changes) -> dict:
    data = copy.deepcopy(CRITERION)
    data.update(changes)
    return errors_of(CriterionSchema(), {k: v for k, v in data.items() if v is not None})


def test_control_schema_fills_the_boolean_defaults():
    loaded = ControlSchema().load(CONTROL)
    assert loaded["extraterritorial"] is False and loaded["linked_to_negotiations"] is False


def test_control_schema_keeps_integers_as_integers_so_bodies_round_trip():
    loaded = ControlSchema().load({**CONTROL, "threshold": {"basis": "fixed", "tpp": 4800}})
    assert loaded["threshold"]["tpp"] == 4800 and isinstance(loaded["threshold"]["tpp"], int)


def test_control_schema_names_every_offending_field():
    errors = errors_of(
        ControlSchema(),
        {
            "direction": "sideways",
            "instrument": "tariff",
            "layers": [],
            "reach": ["mars"],
            "extraterritorial": "yes",
            "threshold": {"basis": "moving", "tpp": -1, "memory_bandwidth_tbps": "fast"},
            "chips": ["Not A Slug"],
            "colour": "red",
        },
    )
    assert set(errors) == {
        "name",
        "direction",
        "instrument",
        "layers",
        "reach",
        "extraterritorial",
        "threshold",
        "chips",
        "colour",
    }
    assert set(errors["threshold"]) == {"basis", "tpp", "memory_bandwidth_tbps"}
    assert "Must be one of: tighten, loosen." in errors["direction"]
    assert errors["colour"] == ["Unknown field."]


@pytest.mark.parametrize("bad", ["12", True, None, float("nan"), float("inf"), 10**400])
def test_control_schema_refuses_non_numbers_for_threshold_figures(bad):
    errors = errors_of(ControlSchema(), {**CONTROL, "threshold": {"basis": "fixed", "tpp": bad}})
    assert "tpp" in errors["threshold"]


@pytest.mark.parametrize("bad", [1, "true", None])
def test_control_schema_refuses_non_booleans_for_flags(bad):
    assert "linked_to_negotiations" in errors_of(
        ControlSchema(), {**CONTROL, "linked_to_negotiations": bad}
    )


def test_score_request_accepts_credence_overrides():
    loaded = ScoreRequestSchema().load({**CONTROL, "assumptions": {"a3": 0.1, "a5": 1}})
    assert loaded["assumptions"] == {"a3": 0.1, "a5": 1}


def test_score_request_rejects_credences_outside_zero_to_one():
    errors = errors_of(ScoreRequestSchema(), {**CONTROL, "assumptions": {"a3": 1.5}})
    assert "a3" in errors["assumptions"]


def test_framing_schema_accepts_the_documented_shapes():
    body = {**FRAMING, "criteria": [CRITERION, {**BANDED, "id": "b"}]}
    assert FramingSchema().load(body) == body


def test_framing_schema_rejects_an_unknown_when_field():
    errors = criterion_errors(when={"layer": ["hbm"]})
    assert errors["when"]["layer"][0].startswith("Unknown field. Allowed: direction")


def test_framing_schema_rejects_an_unknown_value_inside_when():
    errors = criterion_errors(when=[{"layers": ["hbm"]}, {"instrument": ["tariff"]}])
    assert list(errors["when"]) == [1]
    assert errors["when"][1]["instrument"][0].startswith(
        "Unknown value(s): tariff. Allowed: license_requirement, license_approval"
    )


@pytest.mark.parametrize("when", [[], {"extraterritorial": "yes"}, {"layers": []}, "hbm"])
def test_framing_schema_rejects_malformed_when(when):
    assert "when" in criterion_errors(when=when)


def test_framing_schema_rejects_an_unknown_band_feature():
    errors = errors_of(
        CriterionSchema(), {**BANDED, "bands": {**BANDED["bands"], "feature": "price"}}
    )
    assert "feature" in errors["bands"]


@pytest.mark.parametrize("edges", [[1.5, 1.0], [1.0, 1.0]])
def test_framing_schema_rejects_unsorted_or_duplicate_edges(edges):
    errors = errors_of(CriterionSchema(), {**BANDED, "bands": {**BANDED["bands"], "edges": edges}})
    assert errors["bands"]["edges"] == [
        "Edges must be strictly increasing (sorted, no duplicates)."
    ]


def test_framing_schema_rejects_band_lists_of_the_wrong_length():
    errors = errors_of(
        CriterionSchema(), {**BANDED, "bands": {**BANDED["bands"], "loosen": [1, -1]}}
    )
    assert errors["bands"]["loosen"] == ["Give 3 values: one per band (edges + 1)."]


def test_framing_schema_rejects_values_outside_minus_one_to_one():
    errors = criterion_errors(value={"tighten": 1.5, "loosen": -2})
    assert set(errors["value"]) == {"tighten", "loosen"}


@pytest.mark.parametrize("weight", [0, -1, 1e-7, 0.0009, 1001])
def test_framing_schema_rejects_weights_that_vanish_at_scoring_precision_or_exceed_a_thousand(
    weight,
):
    assert errors_of(CriterionSchema(), {**CRITERION, "weight": weight})["weight"] == [
        "Must be at least 0.001 and at most 1000."
    ]


def test_framing_schema_requires_exactly_one_of_value_and_bands():
    assert "value" in errors_of(CriterionSchema(), {**CRITERION, "bands": BANDED["bands"]})
    assert "value" in criterion_errors(value=None)


@pytest.mark.parametrize(
    "relies",
    [
        [{"assumption": "x1", "holds": True}],
        [{"assumption": "a1"}],
        [{"assumption": "a1", "holds": True, "why": "extra"}],
        [{"assumption": "a1", "holds": True}, {"assumption": "a1", "holds": False}],
    ],
)
def test_framing_schema_rejects_malformed_reliance(relies):
    assert "relies_on" in criterion_errors(relies_on=relies)


def test_framing_schema_rejects_duplicate_criterion_ids():
    errors = errors_of(FramingSchema(), {**FRAMING, "criteria": [CRITERION, CRITERION]})
    assert errors == {"criteria": {1: {"id": ["Duplicate criterion id 'c'."]}}}
