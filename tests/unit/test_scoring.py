"""Unit tests of the pure scorer on tiny hand-made models: when a criterion applies, bands,
and the arithmetic (alignment, robust alignment, sensitivity, overrides, labels and scores).
Features, the answer and the compiled model are in test_scoring_features.py,
test_scoring_answer.py and test_scoring_model.py; the helpers in scoring_models.py."""

import pytest

from service.scoring import score_control
from service.scoring.criteria import label_for, score_for
from service.scoring.impact import AGENDA_SPAN
from tests.unit.scoring_models import BANDS, control, criterion, model, one, rows

# --- when -------------------------------------------------------------------------------


def test_when_matches_only_if_every_named_field_overlaps():
    m = model(
        criterion("both", when={"layers": ["hbm", "training_chips"], "reach": ["china_market"]}),
        criterion("half", when={"layers": ["training_chips"], "reach": ["third_countries"]}),
    )
    found = rows(score_control(control(), m))
    assert found["both"]["applicable"] and not found["half"]["applicable"]


def test_when_list_of_objects_matches_if_any_object_matches():
    m = model(
        criterion("any", when=[{"layers": ["hbm"]}, {"instrument": "license_requirement"}]),
        criterion("none", when=[{"layers": ["hbm"]}, {"instrument": "guidance"}]),
    )
    found = rows(score_control(control(), m))
    assert found["any"]["applicable"] and not found["none"]["applicable"]
    assert found["none"]["rationale"] == (
        "Not applicable: it does not cover HBM; nor does it qualify otherwise, "
        "since its instrument is not official guidance."
    )


def test_when_scalar_field_matches_by_equality():
    m = model(
        criterion("eq", when={"direction": "tighten"}),
        criterion("ne", when={"direction": "loosen"}),
    )
    found = rows(score_control(control(), m))
    assert found["eq"]["applicable"] and not found["ne"]["applicable"]


def test_when_boolean_false_matches_the_filled_in_default():
    m = model(
        criterion("plain", when={"extraterritorial": False}),
        criterion("extra", when={"extraterritorial": True}),
    )
    found = rows(score_control(control(), m))
    assert found["plain"]["applicable"] and not found["extra"]["applicable"]


def test_global_reach_in_a_control_counts_as_all_three_places():
    m = model(
        criterion("tc", when={"reach": ["third_countries"]}),
        criterion("cp", when={"reach": ["china_production"]}),
    )
    found = rows(score_control(control(reach=["global"]), m))
    assert found["tc"]["applicable"] and found["cp"]["applicable"]


def test_global_reach_in_a_when_matches_any_place():
    m = model(criterion("g", when={"reach": ["global"]}))
    assert rows(score_control(control(reach=["china_production"]), m))["g"]["applicable"]


def test_when_can_name_derived_fields():
    m = model(
        criterion("fixed", when={"threshold_basis": "fixed", "has_threshold": True}),
        criterion("deal", when={"classification": "transactional"}),
        criterion("cn", when={"chip_origins": ["china"]}),
    )
    found = rows(
        score_control(control(threshold={"basis": "fixed", "tpp": 4800}, chips=["cn-old"]), m)
    )
    assert found["fixed"]["applicable"] and found["cn"]["applicable"]
    assert not found["deal"]["applicable"]


def test_not_applicable_criterion_reports_null_value_and_the_failing_field():
    m = model(criterion("a", weight=2), criterion("n", when={"layers": ["hbm"]}))
    row = rows(score_control(control(), m))["n"]
    assert row["applicable"] is False
    assert row["value"] is None and row["contribution"] is None
    assert row["rationale"] == "Not applicable: it does not cover HBM."


# --- bands ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chips", "threshold_tpp", "expected"),
    [
        (["us-small"], None, -1),  # 2368 / 12800 = 0.185: below the first edge
        ([], 12800, -0.5),  # exactly 1.0: a value on an edge falls in the band above
        (["us-big"], None, -0.5),  # 1.237
        ([], 19200, 0.5),  # exactly 1.5: the top band
    ],
)
def test_band_picks_the_value_of_the_band_the_feature_falls_in(chips, threshold_tpp, expected):
    threshold = {"basis": "fixed", "tpp": threshold_tpp} if threshold_tpp else None
    ctrl = control(chips=chips, **({"threshold": threshold} if threshold else {}))
    assert rows(score_control(ctrl, model(criterion("b", bands=BANDS))))["b"]["value"] == expected


def test_band_uses_the_loosen_values_for_a_loosening():
    answer = score_control(
        control(direction="loosen", chips=["us-small"]), model(criterion("b", bands=BANDS))
    )
    assert rows(answer)["b"]["value"] == 1


def test_band_on_an_unknown_feature_is_not_applicable_and_says_so():
    row = rows(score_control(control(), model(criterion("b", bands=BANDS))))["b"]
    assert row["applicable"] is False
    assert "foreign availability ratio is unknown" in row["rationale"]


# --- arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "label"),
    [
        (-1.0, "strongly_opposed"),
        (-0.4, "strongly_opposed"),
        (-0.3999, "opposed"),
        (-0.02, "opposed"),
        (-0.0199, "neutral"),
        (0.0, "neutral"),
        (0.0199, "neutral"),
        (0.02, "aligned"),
        (0.3999, "aligned"),
        (0.4, "strongly_aligned"),
        (1.0, "strongly_aligned"),
    ],
)
def test_labels_are_cut_on_impact_at_the_recalibrated_thresholds(impact, label):
    assert label_for(impact) == label


@pytest.mark.parametrize(
    ("alignment", "score"),
    [(0.01, 51), (-0.01, 50), (0.03, 52), (-0.03, 49), (1.0, 100), (-1.0, 0), (0.0, 50)],
)
def test_score_rounds_half_up(alignment, score):
    assert score_for(alignment) == score


def test_alignment_is_the_weighted_mean_of_applicable_values():
    m = model(
        criterion("x", weight=3, value=(1, -1)),
        criterion("y", weight=1, value=(-0.5, 0)),
        criterion("n", weight=100, when={"layers": ["hbm"]}),
    )
    result = one(score_control(control(), m))
    assert result["alignment"] == pytest.approx((3 * 1 + 1 * -0.5) / 4)
    assert sum(r["contribution"] or 0 for r in result["criteria"]) == pytest.approx(0.625)


def test_impact_divides_by_every_criterions_weight_not_only_the_applicable_ones():
    m = model(
        criterion("x", weight=3, value=(1, -1)),
        criterion("y", weight=1, value=(-0.5, 0)),
        criterion("n", weight=100, when={"layers": ["hbm"]}),
    )
    result = one(score_control(control(), m))
    assert result["impact"] == pytest.approx((3 * 1 + 1 * -0.5) / 104 / AGENDA_SPAN, abs=1e-4)
    assert result["score"] == 53 and result["label"] == "aligned"


def test_no_applicable_criterion_gives_zero_and_not_applicable():
    result = one(score_control(control(), model(criterion("n", when={"layers": ["hbm"]}))))
    assert (result["alignment"], result["score"], result["label"]) == (0.0, 50, "not_applicable")
    assert result["robust_alignment"] == 0.0 and result["sensitivity"] == []


def test_robust_alignment_multiplies_by_credence_or_its_complement():
    m = model(
        criterion("x", weight=2, relies=[("a1", True), ("a2", False)]),
        criterion("y", weight=2, value=(-1, 1), relies=[("a2", True)]),
    )
    # (2·1·0.5·(1-0.8) + 2·(-1)·0.8) / 4
    assert one(score_control(control(), m))["robust_alignment"] == pytest.approx(-0.35)


def test_sensitivity_is_robust_impact_at_credence_one_minus_at_zero_largest_first():
    m = model(
        criterion("x", weight=2, relies=[("a1", True), ("a2", False)]),
        criterion("y", weight=2, value=(-1, 1), relies=[("a2", True)]),
    )
    sens = one(score_control(control(), m))["sensitivity"]
    # In robust alignment: a2: at 1 → (0 - 2)/4 = -0.5; at 0 → (2·0.5 - 0)/4 = 0.25; delta
    # -0.75; a1: at 1 → (2·0.2 - 1.6)/4 = -0.3; at 0 → -0.4; delta 0.1. Robust impact is that
    # over all the framing's weight (here also 4) divided by the agenda span (0.4): x2.5.
    assert [{k: row[k] for k in ("assumption", "credence", "delta")} for row in sens] == [
        {"assumption": "a2", "credence": 0.8, "delta": -1.875},
        {"assumption": "a1", "credence": 0.5, "delta": 0.25},
    ]


def test_sensitivity_ties_are_ordered_by_assumption_id():
    m = model(criterion("x", relies=[("a2", True)]), criterion("y", relies=[("a1", True)]))
    sens = one(score_control(control(), m, {"a1": 1, "a2": 1}))["sensitivity"]
    assert [row["assumption"] for row in sens] == ["a1", "a2"]


def test_overrides_replace_credences_for_that_call_only():
    m = model(criterion("x", relies=[("a1", True)]))
    assert one(score_control(control(), m, {"a1": 0.1}))["robust_alignment"] == 0.1
    assert one(score_control(control(), m))["robust_alignment"] == 0.5
    row = rows(score_control(control(), m, {"a1": 0.1}))["x"]
    assert row["relies_on"] == [{"assumption": "a1", "holds": True, "credence": 0.1}]


def test_overrides_inside_the_request_body_work_like_the_argument():
    m = model(criterion("x", relies=[("a1", True)]))
    inline = score_control(control(assumptions={"a1": 0.1}), m)
    assert inline == score_control(control(), m, {"a1": 0.1})
    assert "assumptions" not in inline["control"]
