"""Unit tests of the pure scorer on tiny hand-made models."""

import json

import pytest

from schemas.framing import BAND_FEATURES, WHEN_FIELDS
from service.scoring import (
    SCORER_VERSION,
    ModelView,
    compile_model,
    criteria_reference_errors,
    reference_errors,
    score_batch,
    score_control,
)
from service.scoring import criteria as scoring_criteria
from service.scoring.criteria import label_for, score_for
from service.scoring.features import band_numbers, build_catalogue, match_features

CHIPS = {
    "us-small": (1, {"origin": "us", "tpp": 2368}),
    "us-big": (1, {"origin": "us", "tpp": 15831}),
    "cn-old": (1, {"origin": "china", "tpp": 5120}),
    "cn-new": (2, {"origin": "china", "tpp": 12800}),
}


def criterion(id_="c", weight=1, when=None, value=(1, -1), bands=None, relies=()):
    out = {
        "id": id_,
        "label": f"label {id_}",
        "weight": weight,
        "relies_on": [{"assumption": a, "holds": h} for a, h in relies],
        "rationale": {"tighten": f"{id_} tighten", "loosen": f"{id_} loosen"},
    }
    if when is not None:
        out["when"] = when
    if bands is not None:
        out["bands"] = bands
    else:
        out["value"] = {"tighten": value[0], "loosen": value[1]}
    return out


def model(*criteria, other=None, credences=None, chips=None, as_of=None):
    framings = {"one": (3, {"criteria": list(criteria)})}
    if other is not None:
        framings["two"] = (1, {"criteria": list(other)})
    credences = {"a1": 0.5, "a2": 0.8} if credences is None else credences
    assumptions = {a: (1, {"assessment": {"credence": c}}) for a, c in credences.items()}
    return ModelView(framings, assumptions, CHIPS if chips is None else chips, as_of=as_of)


def control(**changes):
    base = {
        "name": "Test control",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["training_chips"],
        "reach": ["china_market"],
    }
    return {**base, **changes}


def one(answer, framing="one"):
    return answer["framings"][framing]


def rows(answer, framing="one"):
    return {row["id"]: row for row in one(answer, framing)["criteria"]}


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

BANDS = {
    "feature": "foreign_availability_ratio",
    "edges": [1.0, 1.5],
    "tighten": [-1, -0.5, 0.5],
    "loosen": [1, 0.5, -0.5],
}


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
    ("alignment", "label"),
    [
        (-1.0, "strongly_opposed"),
        (-0.6, "strongly_opposed"),
        (-0.5999, "opposed"),
        (-0.2, "opposed"),
        (-0.1999, "neutral"),
        (0.0, "neutral"),
        (0.1999, "neutral"),
        (0.2, "aligned"),
        (0.5999, "aligned"),
        (0.6, "strongly_aligned"),
        (1.0, "strongly_aligned"),
    ],
)
def test_label_boundaries_follow_the_design(alignment, label):
    assert label_for(alignment) == label


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
    assert result["score"] == 81 and result["label"] == "strongly_aligned"
    assert sum(r["contribution"] or 0 for r in result["criteria"]) == pytest.approx(0.625)


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


def test_sensitivity_is_robust_at_credence_one_minus_at_zero_largest_first():
    m = model(
        criterion("x", weight=2, relies=[("a1", True), ("a2", False)]),
        criterion("y", weight=2, value=(-1, 1), relies=[("a2", True)]),
    )
    sens = one(score_control(control(), m))["sensitivity"]
    # a2: at 1 → (0 - 2)/4 = -0.5; at 0 → (2·0.5 - 0)/4 = 0.25; delta -0.75
    # a1: at 1 → (2·0.2 - 1.6)/4 = -0.3; at 0 → -0.4; delta 0.1
    assert sens == [
        {"assumption": "a2", "credence": 0.8, "delta": -0.75},
        {"assumption": "a1", "credence": 0.5, "delta": 0.1},
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


# --- derived features -------------------------------------------------------------------


def test_linked_control_is_transactional_and_notes_its_foundational_side():
    answer = score_control(
        control(linked_to_negotiations=True, layers=["eda_software"], reach=["china_production"]),
        model(criterion()),
    )
    cls = answer["derived"]["classification"]
    assert cls["value"] == "transactional"
    assert cls["reasons"][0].startswith("Linked to negotiations")
    assert any(r.startswith("Otherwise foundational") for r in cls["reasons"])


@pytest.mark.parametrize("instrument", ["license_approval", "revenue_share"])
def test_approvals_and_revenue_shares_are_transactional(instrument):
    answer = score_control(control(instrument=instrument), model(criterion()))
    assert answer["derived"]["classification"]["value"] == "transactional"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"layers": ["manufacturing_equipment"], "reach": ["china_market"]}, "equipment"),
        ({"reach": ["china_production"]}, "China's own chip production"),
        (
            {"instrument": "economic_security_requirement", "reach": ["third_countries"]},
            "third countries",
        ),
    ],
)
def test_production_and_third_market_blocking_controls_are_foundational(changes, reason):
    cls = score_control(control(**changes), model(criterion()))["derived"]["classification"]
    assert cls["value"] == "foundational" and reason in " ".join(cls["reasons"])


def test_other_controls_are_indeterminate_with_a_reason():
    cls = score_control(control(), model(criterion()))["derived"]["classification"]
    assert cls["value"] == "indeterminate" and len(cls["reasons"]) == 1


def test_foreign_availability_takes_the_largest_covered_chip_against_the_chinese_frontier():
    fa = score_control(control(chips=["us-small", "us-big"]), model(criterion()))["derived"][
        "foreign_availability"
    ]
    assert fa == {
        "covered_tpp": 15831,
        "frontier_tpp": 12800,
        "frontier_chip": "cn-new",
        "ratio": 1.237,
    }


def test_foreign_availability_falls_back_to_the_threshold_tpp():
    fa = score_control(control(threshold={"basis": "fixed", "tpp": 4800}), model(criterion()))[
        "derived"
    ]["foreign_availability"]
    assert (fa["covered_tpp"], fa["ratio"]) == (4800, 0.375)


def test_foreign_availability_is_null_when_neither_side_is_known():
    answer = score_control(control(), model(criterion(), chips={}))
    assert answer["derived"]["foreign_availability"] is None


def test_foreign_availability_has_a_null_ratio_when_only_one_side_is_known():
    fa = score_control(control(), model(criterion()))["derived"]["foreign_availability"]
    assert fa == {
        "covered_tpp": None,
        "frontier_tpp": 12800,
        "frontier_chip": "cn-new",
        "ratio": None,
    }


def test_a_vanishing_frontier_gives_no_ratio_rather_than_infinity():
    chips = {
        "us": (1, {"origin": "us", "tpp": 1e300}),
        "cn": (1, {"origin": "china", "tpp": 1e-300}),
    }
    fa = score_control(control(chips=["us"]), model(criterion(), chips=chips))["derived"][
        "foreign_availability"
    ]
    assert fa["ratio"] is None


def test_frontier_is_read_from_the_catalogue_so_an_older_model_has_an_older_frontier():
    older = {cid: chip for cid, chip in CHIPS.items() if cid != "cn-new"}
    fa = score_control(control(chips=["us-small"]), model(criterion(), chips=older))["derived"][
        "foreign_availability"
    ]
    assert (fa["frontier_chip"], fa["frontier_tpp"], fa["ratio"]) == ("cn-old", 5120, 0.463)


def test_features_cover_exactly_the_vocabulary_the_schema_allows():
    catalogue = build_catalogue(CHIPS)
    normal = score_control(control(), model(criterion()))["control"]
    features = match_features(normal, "indeterminate", None, catalogue, [])
    assert set(features) == set(WHEN_FIELDS)
    assert set(band_numbers(normal, None)) == set(BAND_FEATURES)


# --- the answer -------------------------------------------------------------------------


def test_control_is_normalised_with_defaults_and_lists_in_enum_order():
    answer = score_control(
        control(
            layers=["hbm", "training_chips", "hbm"],
            reach=["third_countries", "china_market"],
            chips=["us-small", "cn-old", "us-small"],
            threshold={"basis": "fixed", "tpp": 4800.0},
        ),
        model(criterion()),
    )
    assert answer["control"] == {
        "name": "Test control",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["training_chips", "hbm"],
        "reach": ["china_market", "third_countries"],
        "extraterritorial": False,
        "linked_to_negotiations": False,
        "threshold": {"basis": "fixed", "tpp": 4800},
        "chips": ["cn-old", "us-small"],
    }


def test_verdict_favours_the_higher_alignment_by_the_difference():
    m = model(criterion("x"), other=[criterion("y", value=(-0.5, 0.5))])
    verdict = score_control(control(), m)["verdict"]
    assert verdict["favoured"] == "one" and verdict["margin"] == 1.5
    assert verdict["summary"] == (
        "One strongly favours Test control (strongly aligned, +1.00), while two opposes it "
        "(opposed, -0.50), so it fits one better."
    )


def test_verdict_is_null_on_a_tie():
    m = model(criterion("x"), other=[criterion("y")])
    verdict = score_control(control(), m)["verdict"]
    assert (verdict["favoured"], verdict["margin"]) == (None, 0.0)


def test_model_block_names_every_version_and_the_scorer():
    answer = score_control(control(), model(criterion(), other=[criterion()], as_of="2025-08-01"))
    assert answer["model"] == {
        "as_of": "2025-08-01",
        "release": None,
        "framings": {"one": 3, "two": 1},
        "assumptions": {"a1": 1, "a2": 1},
        "chips": {"cn-new": 2, "cn-old": 1, "us-big": 1, "us-small": 1},
        "what_if": {},
        "scorer": SCORER_VERSION,
    }


def test_repeated_scoring_is_byte_identical():
    m = model(
        criterion("x", relies=[("a1", True)]),
        criterion("b", bands=BANDS),
        other=[criterion("y", value=(0.3, -0.3), relies=[("a2", False)])],
    )
    ctrl = control(chips=["us-small"])
    first = json.dumps(score_control(ctrl, m, {"a1": 0.25}))
    assert first == json.dumps(score_control(json.loads(json.dumps(ctrl)), m, {"a1": 0.25}))


def test_input_hash_changes_with_overrides_and_point_in_time():
    m = model(criterion("x", relies=[("a1", True)]))
    plain = score_control(control(), m)["input_hash"]
    assert plain.startswith("sha256:") and len(plain) == 7 + 64
    assert score_control(control(), m, {"a1": 0.2})["input_hash"] != plain
    later = model(criterion("x", relies=[("a1", True)]), as_of="2026-01-01")
    assert score_control(control(), later)["input_hash"] != plain


def test_input_hash_ignores_list_order_duplicates_and_defaults():
    m = model(criterion())
    a = score_control(control(layers=["hbm", "training_chips"]), m)["input_hash"]
    b = score_control(control(layers=["training_chips", "hbm", "hbm"], extraterritorial=False), m)
    assert a == b["input_hash"]


def test_batch_scores_each_control_as_a_single_call_would():
    m = model(criterion("x", relies=[("a1", True)]), other=[criterion("y")])
    batch = score_batch({"k1": control(), "k2": control(direction="loosen")}, compile_model(m))
    assert batch == {
        "k1": score_control(control(), m),
        "k2": score_control(control(direction="loosen"), m),
    }


def test_compiled_criteria_are_reused_per_version_but_never_stale():
    first = model(criterion("x", value=(1, -1)))
    same = model(criterion("x", value=(1, -1)))
    changed = model(criterion("x", value=(-1, 1)))  # same framing id and version number
    assert compile_model(first).framings[0] is compile_model(same).framings[0]
    assert one(score_control(control(), changed))["alignment"] == -1.0
    assert len(scoring_criteria._cache) <= scoring_criteria.CACHE_SIZE


# --- reference checks -------------------------------------------------------------------


def test_reference_errors_name_unknown_chips_and_override_assumptions():
    errors = reference_errors(
        control(chips=["us-small", "nope"], assumptions={"a9": 0.5}), model(criterion())
    )
    assert errors == {
        "chips": ["Unknown chip id(s): nope. Known: cn-new, cn-old, us-big, us-small."],
        "assumptions.a9": ["Unknown assumption id 'a9'. Known: a1, a2."],
    }


def test_reference_errors_are_empty_for_a_sound_request():
    assert reference_errors(control(chips=["us-big"], assumptions={"a1": 0}), model()) == {}


def test_criteria_reference_errors_name_unknown_assumptions_by_path():
    criteria = [
        criterion("x", relies=[("a1", True)]),
        criterion("y", relies=[("a1", True), ("a7", False)]),
    ]
    assert criteria_reference_errors(criteria, {"a1", "a2"}) == {
        "criteria.1.relies_on.1.assumption": ["Unknown assumption id 'a7'. Known: a1, a2."]
    }
