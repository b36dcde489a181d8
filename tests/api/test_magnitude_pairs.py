"""The public magnitude pairs (calibration/pairs.json): for one framing, measure A matters more
than measure B. An analyst wrote each pair, its signs and its reason from seed 004 and the
record before anyone scored them; the scorer must grade them the same way, through POST /score.

A pair the model is known to get wrong says why (`model_disagrees`), and the test insists it
still does, so a fix is noticed and the note removed.
"""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAIRS = json.loads((ROOT / "calibration" / "pairs.json").read_text("utf-8"))["pairs"]
MEASURES = {
    m["id"]: m
    for m in json.loads((ROOT / "calibration" / "measures.json").read_text("utf-8"))["measures"]
}


def stored_control(id_: str) -> dict:
    doc = json.loads((ROOT / "fixtures" / "controls" / f"{id_}.json").read_text("utf-8"))
    return doc["versions"][-1]["body"]["control"]


def control_of(side: dict) -> dict:
    """A pair's side as a control: written out, or a stored or calibration measure with the
    analyst's reading of its breadth, stringency and stage (`with`)."""
    if "control" in side:
        return side["control"]
    kind, id_ = side["ref"].split("/", 1)
    base = stored_control(id_) if kind == "controls" else MEASURES[id_]["control"]
    return {**base, **side.get("with", {})}


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


@pytest.fixture(scope="module")
def impacts(module_client):
    """Every side of every pair scored once through POST /score on the latest model."""
    client = module_client
    out = {}
    for pair in PAIRS:
        for side in ("greater", "lesser"):
            response = client.post("/score", json=control_of(pair[side]))
            assert response.status_code == 200, (pair["id"], side, response.get_json())
            out[pair["id"], side] = response.get_json()["framings"][pair["framing"]]["impact"]
    return out


@pytest.mark.parametrize("pair", PAIRS, ids=[p["id"] for p in PAIRS])
def test_the_measure_an_analyst_says_matters_more_has_the_larger_impact_of_the_expected_sign(
    impacts, pair
):
    greater, lesser = impacts[pair["id"], "greater"], impacts[pair["id"], "lesser"]
    holds = (
        abs(greater) > abs(lesser)
        and sign(greater) == pair["expected_signs"]["greater"]
        and sign(lesser) == pair["expected_signs"]["lesser"]
    )
    assert holds != bool(pair.get("model_disagrees")), (greater, lesser, pair["reason"])


def test_the_set_holds_at_least_twelve_pairs_across_both_framings_with_reasons_and_sources():
    assert len(PAIRS) >= 12
    assert {p["framing"] for p in PAIRS} == {"sliding-scale", "freeze-in-place"}
    assert all(p["reason"] and p["sources"] for p in PAIRS)


def test_the_two_pairs_the_issue_handed_over_are_in_the_set_and_hold(impacts):
    ids = {p["id"] for p in PAIRS if not p.get("model_disagrees")}
    assert "fip-oct2022-vs-chip-security-act" in ids
    assert "ss-h20-licence-requirement-vs-affiliates-suspension" in ids
