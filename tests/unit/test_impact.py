"""Sense checks of scorer 3's degree (DESIGN section 3, "Degree"), each with its reason in its
name, on small hand-made models and on the real fixtures' model."""

import json
from pathlib import Path

import pytest

from service.scoring import ModelView, score_control
from service.scoring.impact import AGENDA_SPAN
from tests.unit.scoring_models import control, criterion, model, one

ROOT = Path(__file__).resolve().parents[2]


def latest(kind: str) -> dict:
    out = {}
    for path in sorted((ROOT / "fixtures" / kind).glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        last = doc["versions"][-1]
        if last.get("body") is not None:
            out[doc["id"]] = (last["version"], last["body"])
    return out


REAL = ModelView(latest("framings"), latest("assumptions"), latest("chips"), controls={})
MEASURES = json.loads((ROOT / "calibration" / "measures.json").read_text("utf-8"))["measures"]
REAL_CONTROLS = [m["control"] for m in MEASURES if m["jurisdiction"] != "china"] + [
    body["control"] for _, body in latest("controls").values()
]


def impact(answer, framing="one"):
    return one(answer, framing)["impact"]


# Four criteria of weight 1 on the same side: the control engages one, two or all of them.
FOUR = [
    criterion(f"c{i}", when={"layers": [layer]})
    for i, layer in enumerate(["training_chips", "inference_chips", "hbm", "cloud_compute"])
]


def test_engaging_more_of_a_framings_criteria_on_the_same_side_raises_impact():
    m = model(*FOUR)
    narrow = score_control(control(layers=["training_chips"]), m)
    wider = score_control(control(layers=["training_chips", "inference_chips"]), m)
    assert 0 < impact(narrow) < impact(wider)


def test_one_criterion_no_longer_reads_plus_or_minus_one_as_alignment_did():
    answer = score_control(control(layers=["training_chips"]), model(*FOUR))
    assert one(answer)["alignment"] == 1.0
    assert impact(answer) == pytest.approx(0.25 / AGENDA_SPAN)


@pytest.mark.parametrize(
    ("field", "smaller", "larger"),
    [
        ("breadth", "named_entities", "whole_market"),
        ("breadth", "class_of_entities", "whole_market"),
        ("stringency", "advisory", "prohibitive"),
        ("stringency", "conditional", "prohibitive"),
    ],
)
def test_a_broader_or_more_binding_control_has_the_larger_impact(field, smaller, larger):
    m = model(*FOUR)
    small = score_control(control(**{field: smaller}), m)
    large = score_control(control(**{field: larger}), m)
    assert 0 < impact(small) < impact(large)


@pytest.mark.parametrize("stage", ["proposed", "adopted"])
def test_a_pending_measure_weighs_less_than_the_same_measure_in_force(stage):
    m = model(*FOUR)
    pending = score_control(control(stage=stage), m)
    in_force = score_control(control(stage="in_force"), m)
    assert 0 < impact(pending) < impact(in_force)


@pytest.mark.parametrize("measure", REAL_CONTROLS, ids=lambda c: c["name"][:40])
def test_a_measure_of_chinas_is_never_favoured_or_opposed_by_any_framing(measure):
    answer = score_control({**measure, "imposed_by": "china"}, REAL)
    assert {r["label"] for r in answer["framings"].values()} == {"not_applicable"}
    assert {r["impact"] for r in answer["framings"].values()} == {0.0}
    assert answer["verdict"]["favoured"] is None
    assert "countermeasure" in answer


def test_an_allied_measure_scores_as_the_same_measure_imposed_by_washington():
    for measure in REAL_CONTROLS[:10]:
        us = score_control({**measure, "imposed_by": "us"}, REAL)["framings"]
        ally = score_control({**measure, "imposed_by": "ally"}, REAL)["framings"]
        assert {f: r["impact"] for f, r in us.items()} == {f: r["impact"] for f, r in ally.items()}


def one_sided(result) -> bool:
    values = {(r["value"] > 0) for r in result["criteria"] if r["applicable"] and r["value"]}
    return len(values) == 1


@pytest.mark.parametrize("measure", REAL_CONTROLS, ids=lambda c: c["name"][:40])
def test_weakening_what_a_one_sided_reading_relies_on_never_raises_its_robust_impact(measure):
    base = score_control(measure, REAL)
    for fid, result in base["framings"].items():
        if result["label"] == "not_applicable" or not one_sided(result):
            continue
        for row in result["sensitivity"]:
            holds = {
                r["holds"]
                for c in result["criteria"]
                if c["applicable"]
                for r in c["relies_on"]
                if r["assumption"] == row["assumption"]
            }
            c0 = row["credence"]
            if c0 is None or len(holds) != 1:
                continue
            weaker = max(0.0, c0 - 0.2) if holds == {True} else min(1.0, c0 + 0.2)
            moved = score_control(measure, REAL, {row["assumption"]: weaker})["framings"][fid]
            assert abs(moved["robust_impact"]) <= abs(result["robust_impact"]) + 1e-9


@pytest.mark.parametrize("measure", REAL_CONTROLS, ids=lambda c: c["name"][:40])
def test_the_impact_range_holds_both_the_impact_and_the_robust_impact(measure):
    for result in score_control(measure, REAL)["framings"].values():
        low, high = result["impact_range"]["low"], result["impact_range"]["high"]
        assert low <= result["impact"] <= high
        assert low <= result["robust_impact"] <= high


def test_every_impact_factor_is_reported_with_its_inputs_and_reason():
    answer = score_control(control(chips=["us-small"]), model(*FOUR))
    factors = one(answer)["impact_factors"]
    assert [f["factor"] for f in factors] == [
        "agenda",
        "breadth",
        "stringency",
        "stage",
        "capability",
    ]
    assert all(f["reason"] and isinstance(f["inputs"], dict) for f in factors)
