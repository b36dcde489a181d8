"""The derived features a criterion can name: transactional or foundational, foreign
availability against the Chinese frontier, and the vocabulary the schema allows."""

import pytest

from schemas.framing import BAND_FEATURES, WHEN_FIELDS
from service.scoring import score_control
from service.scoring.features import band_numbers, build_catalogue, match_features
from tests.unit.scoring_models import CHIPS, control, criterion, model

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


NO_BANDWIDTH = {
    "covered_memory_bandwidth_tbps": None,
    "frontier_memory_bandwidth_tbps": None,
    "memory_bandwidth_ratio": None,
}


def test_a_loosening_is_placed_by_the_most_capable_chip_it_releases():
    loosening = control(direction="loosen", chips=["us-small", "us-big"])
    fa = score_control(loosening, model(criterion()))["derived"]["foreign_availability"]
    assert fa == {
        "covered_tpp": 15831,
        "frontier_tpp": 12800,
        "frontier_chip": "cn-new",
        "ratio": 1.237,
        **NO_BANDWIDTH,
    }


def test_a_tightening_is_placed_by_the_least_capable_chip_it_binds():
    fa = score_control(control(chips=["us-small", "us-big"]), model(criterion()))["derived"][
        "foreign_availability"
    ]
    assert (fa["covered_tpp"], fa["ratio"]) == (2368, 0.185)


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
        **NO_BANDWIDTH,
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
