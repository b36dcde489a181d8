"""Tipping points: the credences at which a framing's robust label, or the robust ranking of
the framings, would change. Exact, because robust alignment is linear in each credence."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.scoring import ModelView, score_control
from service.scoring.criteria import label_for, label_tipping, ranking_tipping
from service.scoring.verdict import tipping_sentences

EPS = 1e-3
ASSUMPTIONS = ("a1", "a2", "a3")
CONTROL = {
    "name": "Test control",
    "direction": "tighten",
    "instrument": "license_requirement",
    "layers": ["training_chips"],
    "reach": ["china_market"],
}


def crit(id_, weight=1, value=1, relies=()):
    return {
        "id": id_,
        "label": id_,
        "weight": weight,
        "relies_on": [{"assumption": a, "holds": h} for a, h in relies],
        "value": {"tighten": value, "loosen": -value},
        "rationale": {"tighten": "t", "loosen": "l"},
    }


def model(framings: dict, credences: dict) -> ModelView:
    return ModelView(
        {fid: (1, {"criteria": crits}) for fid, crits in framings.items()},
        {a: (1, {"assessment": {"credence": c}}) for a, c in credences.items()},
        {},
    )


def robust_order(answer: dict) -> list[str]:
    live = {f: r for f, r in answer["framings"].items() if r["label"] != "not_applicable"}
    return sorted(live, key=lambda f: (-live[f]["robust_impact"], f))


def test_label_tipping_by_hand():
    # r(c) = 0.2 + 1.0·(c − 0.5): neutral below 0.02 (c 0.32), strongly aligned from 0.4 (c 0.7)
    assert label_tipping(0.2, 1.0, 0.5, "aligned") == {
        "below": {"credence": 0.32, "label": "neutral"},
        "above": {"credence": 0.7, "label": "strongly_aligned"},
    }
    # a negative slope: falling credence raises the impact
    assert label_tipping(-0.3, -0.75, 0.8, "opposed") == {
        "below": {"credence": 0.4267, "label": "neutral"},
        "above": {"credence": 0.9333, "label": "strongly_opposed"},
    }


def test_no_tipping_without_slope_credence_or_crossing_in_range():
    assert label_tipping(0.5, 0.0, 0.5, "aligned") == {"below": None, "above": None}
    assert label_tipping(0.5, 1.0, None, "aligned") == {"below": None, "above": None}
    # 0.9 ± 0.1·c never leaves strongly aligned within [0, 1]
    assert label_tipping(0.9, 0.1, 0.5, "strongly_aligned") == {"below": None, "above": None}


def test_at_a_threshold_the_label_changes_only_on_the_side_that_leaves_it():
    # exactly 0.02 is 'aligned'; rising keeps it until 0.4, falling leaves it at once
    tips = label_tipping(0.02, 1.0, 0.5, "aligned")
    assert tips["below"] == {"credence": 0.5, "label": "neutral"}
    assert tips["above"] == {"credence": 0.88, "label": "strongly_aligned"}


def test_ranking_tipping_by_hand():
    # one: 0.5 + 1.0·(c − 0.5); two: 0.3 flat. They cross at c = 0.3.
    lines = {"one": (0.5, {"a1": 1.0}), "two": (0.3, {})}
    assert ranking_tipping(lines, "one", "a1", 0.5) == {
        "below": {"credence": 0.3, "ranking": ["two", "one"]},
        "above": None,
    }
    assert ranking_tipping(lines, "two", "a1", 0.5)["below"]["credence"] == 0.3
    assert ranking_tipping({"one": lines["one"]}, "one", "a1", 0.5) == {
        "below": None,
        "above": None,
    }


def test_score_answers_carry_tipping_points_and_sentences():
    # Beside each framing's one criterion, one of weight 4 that never applies: robust impact
    # is then r(c) = c / 5 / 0.4 = c / 2 for the sliding scale, and 0.3 / 2 = 0.15 flat.
    idle = {**crit("idle", weight=4), "when": {"layers": ["hbm"]}}
    m = model(
        {
            "sliding-scale": [crit("x", relies=[("a4", True)]), idle],
            "freeze-in-place": [crit("y", value=0.3), idle],
        },
        {"a4": 0.5},
    )
    answer = score_control(CONTROL, m)
    assert robust_order(answer) == ["sliding-scale", "freeze-in-place"]
    row = answer["framings"]["sliding-scale"]["sensitivity"][0]
    assert row["tipping"] == {
        "below": {"credence": 0.04, "label": "neutral"},
        "above": {"credence": 0.8, "label": "strongly_aligned"},
    }
    assert row["ranking_flip"]["below"] == {
        "credence": 0.3,
        "ranking": ["freeze-in-place", "sliding-scale"],
    }
    said = tipping_sentences("sliding-scale", answer["framings"]["sliding-scale"])
    assert said[0] == (
        "The sliding scale's case for this control stays 'aligned' unless a4 falls below 0.04 "
        "(then neutral) or rises above 0.8 (then strongly aligned)."
    )
    assert said[1] == (
        "The robust ranking of the framings flips if a4 falls below 0.3 "
        "(then freeze-in-place ahead of the sliding scale)."
    )
    assert answer["model"]["scorer"] == "3.0.0"


def check_tips(m, answer, overrides):
    """Re-score either side of every tipping point: the label and ranking change exactly there."""
    for fid, result in answer["framings"].items():
        for row in result["sensitivity"]:
            a, c0 = row["assumption"], row["credence"]
            if abs(row["delta"]) < 0.2:  # too flat to see across 4-place rounding
                continue
            for side, sign in (("below", -1), ("above", 1)):
                tip = row["tipping"][side]
                if tip is not None:
                    near, far = tip["credence"] - sign * EPS, tip["credence"] + sign * EPS
                    if abs(near - c0) > EPS and (near - c0) * sign > 0:
                        again = score_control(CONTROL, m, {**overrides, a: near})
                        assert again["framings"][fid]["robust_label"] == result["robust_label"]
                    if 0 <= far <= 1:
                        again = score_control(CONTROL, m, {**overrides, a: far})
                        assert again["framings"][fid]["robust_label"] == tip["label"]
                flip = row["ranking_flip"][side]
                if flip is not None and 0 <= flip["credence"] + sign * EPS <= 1:
                    again = score_control(
                        CONTROL, m, {**overrides, a: flip["credence"] + sign * EPS}
                    )
                    got = [again["framings"][f]["robust_impact"] for f in flip["ranking"]]
                    # descending, up to the 4-place rounding of each figure
                    assert all(x >= y - 2e-4 for x, y in zip(got, got[1:], strict=False))


def test_rescoring_either_side_of_the_tipping_points():
    m = model(
        {
            "sliding-scale": [
                crit("x", weight=2, relies=[("a1", True), ("a2", False)]),
                crit("y", weight=1, value=-0.5, relies=[("a2", True)]),
            ],
            "freeze-in-place": [crit("z", value=-1, relies=[("a1", False)])],
        },
        {"a1": 0.45, "a2": 0.3},
    )
    answer = score_control(CONTROL, m)
    assert any(
        row["tipping"]["below"] for row in answer["framings"]["sliding-scale"]["sensitivity"]
    )
    check_tips(m, answer, {})


relies = st.lists(
    st.tuples(st.sampled_from(ASSUMPTIONS), st.booleans()), max_size=3, unique_by=lambda p: p[0]
)
criteria = st.lists(
    st.tuples(st.floats(0.1, 5), st.floats(-1, 1), relies), min_size=1, max_size=4
).map(lambda rows: [crit(f"c{i}", w, v, r) for i, (w, v, r) in enumerate(rows)])
credences = st.fixed_dictionaries({a: st.floats(0, 1) for a in ASSUMPTIONS})


@settings(max_examples=150, deadline=None)
@given(criteria, criteria, credences)
def test_tipping_points_are_exact_on_generated_models(one, two, creds):
    m = model({"one": one, "two": two}, creds)
    answer = score_control(CONTROL, m)
    check_tips(m, answer, {})
    for result in answer["framings"].values():
        assert result["robust_label"] == label_for(result["robust_impact"])


@pytest.mark.parametrize("credence", [0.0, 1.0])
def test_tipping_points_stay_in_the_unit_interval(credence):
    m = model({"one": [crit("x", relies=[("a1", True)])]}, {"a1": credence})
    row = score_control(CONTROL, m)["framings"]["one"]["sensitivity"][0]
    for tip in row["tipping"].values():
        assert tip is None or 0 <= tip["credence"] <= 1


@pytest.mark.parametrize(
    ("r0", "label", "side"), [(0.2, "aligned", "above"), (-0.2, "opposed", "below")]
)
def test_no_tipping_point_offers_a_credence_past_the_ends_of_the_unit_interval(r0, label, side):
    # r(c) = r0 + 0.4·(c − 0.5) reaches ±0.4 exactly at c = 1 (or 0): "rises above 1" or
    # "falls below 0" would be nonsense, so that side offers nothing.
    tips = label_tipping(r0, 0.4, 0.5, label)
    assert tips[side] is None
    other = tips["below" if side == "above" else "above"]
    assert other is not None and 0 < other["credence"] < 1
