"""The scorer moves the way seed 004's logic says it should, through the HTTP API.

Each test names the reason the analysis gives. Signs were written from the seed before scoring.
"""

import pytest

from service import store
from service.scoring.verdict import FAVOURS
from tests.conftest import H20_APPROVAL, append_version

HUAWEI_LISTING = {
    "name": "Huawei added to the Entity List",
    "direction": "tighten",
    "instrument": "entity_listing",
    "layers": ["training_chips", "inference_chips", "eda_software"],
    "reach": ["china_market", "china_production", "third_countries"],
    "targets": ["chinese_chip_industry"],
}
SEED_DAY, JANUARY_2026 = "2025-07-21", "2026-01-31"


def framings(client, body, query=""):
    response = client.post(f"/score{query}", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["framings"]


def loosening_of(chip: str) -> dict:
    return {
        "name": f"Release {chip} for sale to China",
        "direction": "loosen",
        "instrument": "license_approval",
        "layers": ["training_chips", "inference_chips"],
        "reach": ["china_market"],
        "chips": [chip],
    }


def test_doubting_that_buyers_prefer_and_may_buy_the_us_stack_guts_the_sliding_scales_robust_case(
    client,
):
    # By November 2026 a3 and a4 have all but failed, so little robust case is left to lose:
    # what remains must mostly go, and on the seed day (a3 = a4 = 0.3) the fall is large.
    for query, least in (("", 0.02), (f"?as_of={SEED_DAY}", 0.1)):
        base = framings(client, H20_APPROVAL, query)["sliding-scale"]["robust_alignment"]
        doubted = framings(client, {**H20_APPROVAL, "assumptions": {"a3": 0, "a4": 0}}, query)
        after = doubted["sliding-scale"]["robust_alignment"]
        assert base - after >= least and after <= base / 2, (query, base, after)


def test_a3_and_a4_are_the_most_load_bearing_assumptions_of_selling_the_h20(client):
    sensitivity = framings(client, H20_APPROVAL)["sliding-scale"]["sensitivity"]
    assert {row["assumption"] for row in sensitivity[:2]} == {"a3", "a4"}
    # deltas are in robust impact now: a3 and a4 each move a tenth of the scale or more
    assert all(row["delta"] >= 0.1 for row in sensitivity[:2])


def test_at_the_seed_day_doubting_a3_and_a4_changes_the_sliding_scales_robust_label(client):
    query = f"?as_of={SEED_DAY}"
    base = framings(client, H20_APPROVAL, query)["sliding-scale"]
    doubted = framings(client, {**H20_APPROVAL, "assumptions": {"a3": 0, "a4": 0}}, query)
    assert base["robust_label"] == "aligned"
    assert doubted["sliding-scale"]["robust_label"] == "neutral"


def test_doubting_a3_and_a4_does_not_weaken_freeze_in_place_opposition_to_selling_the_h20(client):
    base = framings(client, H20_APPROVAL)["freeze-in-place"]
    doubted = framings(client, {**H20_APPROVAL, "assumptions": {"a3": 0, "a4": 0}})
    assert base["label"] == "strongly_opposed"
    assert doubted["freeze-in-place"]["robust_alignment"] <= base["robust_alignment"]


def test_the_h20_reversals_robust_sliding_scale_case_fell_as_a3_weakened_and_a4_broke(client):
    reversal = client.get("/controls/h20-licence-reversal-2025-07").get_json()["body"]["control"]
    then = framings(client, reversal, f"?as_of={SEED_DAY}")["sliding-scale"]
    later = framings(client, reversal, f"?as_of={JANUARY_2026}")["sliding-scale"]
    assert later["robust_alignment"] < then["robust_alignment"]


def test_the_sliding_scale_favours_a_loosening_less_as_the_chip_rises_above_chinas_frontier(
    client,
):
    # H20 (below Huawei's best), H200 (a little above), B200 (far above), by TPP.
    alignments = [
        framings(client, loosening_of(chip))["sliding-scale"]["alignment"]
        for chip in ("nvidia-h20", "nvidia-h200", "nvidia-b200")
    ]
    assert alignments == sorted(alignments, reverse=True) and alignments[0] > alignments[-1]


def test_the_sliding_scale_opposes_releasing_a_chip_far_above_chinas_frontier(client):
    result = framings(client, loosening_of("nvidia-b200"))["sliding-scale"]
    assert result["label"] in {"opposed", "strongly_opposed"}
    assert result["robust_label"] in {"opposed", "strongly_opposed"}


@pytest.mark.parametrize(
    ("layers", "chips", "instrument"),
    [
        (["inference_chips"], ["nvidia-h20"], "license_approval"),
        (["training_chips", "inference_chips"], ["nvidia-h200"], "license_approval"),
        (["training_chips"], [], "license_requirement"),
        (["cloud_compute"], [], "remote_access_restriction"),
        (["inference_chips"], ["nvidia-h20"], "revenue_share"),
    ],
)
def test_freeze_in_place_opposes_every_loosening_of_chip_or_compute_sales_to_china(
    client, layers, chips, instrument
):
    control = {
        "name": "A loosening",
        "direction": "loosen",
        "instrument": instrument,
        "layers": layers,
        "reach": ["china_market"],
        "chips": chips,
    }
    assert framings(client, control)["freeze-in-place"]["label"] == "strongly_opposed"


def test_listing_huawei_bites_on_the_competitor_so_the_sliding_scale_favours_it(client):
    answer = client.post("/score", json=HUAWEI_LISTING).get_json()
    # aligned, not strongly: it names one firm (breadth), a narrow measure by its effect size
    assert answer["framings"]["sliding-scale"]["label"] in FAVOURS
    stack = {c["id"]: c for c in answer["framings"]["sliding-scale"]["criteria"]}["ss-us-stack"]
    assert not stack["applicable"] and "Chinese AI developers" in stack["rationale"]


def test_an_anti_diversion_permit_abroad_is_not_read_as_a_cap_on_us_sales_abroad(client):
    permit = {
        "name": "Malaysia's permit requirement for US AI chips",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["training_chips", "inference_chips"],
        "reach": ["third_countries"],
        "extraterritorial": True,
        "chips": ["nvidia-h100", "nvidia-h200", "nvidia-b200"],
        "targets": ["diversion_routes"],
    }
    result = framings(client, permit)
    assert result["sliding-scale"]["label"] in FAVOURS
    assert result["freeze-in-place"]["label"] in FAVOURS


def test_promoting_full_stack_exports_to_allies_is_not_transactional_and_not_opposed(client):
    order = {
        "name": "Promoting exports of full-stack US AI packages",
        "direction": "loosen",
        "instrument": "export_promotion",
        "layers": ["training_chips", "inference_chips", "model_weights", "cloud_compute"],
        "reach": ["third_countries"],
    }
    answer = client.post("/score", json=order).get_json()
    assert answer["derived"]["classification"]["value"] != "transactional"
    assert answer["derived"]["targets"] == {
        "value": ["partner_countries"],
        "derived": True,
        "reasons": ["It sets the terms on which third countries buy US AI."],
    }
    assert answer["framings"]["sliding-scale"]["label"] in FAVOURS
    assert answer["framings"]["freeze-in-place"]["impact"] >= 0


def test_named_targets_are_reported_as_named_not_derived(client):
    answer = client.post("/score", json={**H20_APPROVAL, "targets": ["military_end_users"]})
    targets = answer.get_json()["derived"]["targets"]
    assert targets["value"] == ["military_end_users"] and targets["derived"] is False


def test_an_unknown_target_is_422_naming_targets(client):
    response = client.post("/score", json={**H20_APPROVAL, "targets": ["huawei"]})
    assert response.status_code == 422 and "targets.0" in response.get_json()["errors"]


# --- framings that cannot be scored are refused; stored ones never fail ------------------


def put_framing(client, editor, body):
    etag = client.get("/framings/sliding-scale").headers["ETag"]
    return client.put("/framings/sliding-scale", json=body, headers={**editor, "If-Match": etag})


def test_a_framing_listing_an_assumption_no_criterion_relies_on_is_422(client, editor):
    body = client.get("/framings/sliding-scale").get_json()["body"]
    for criterion in body["criteria"]:
        criterion["relies_on"] = [r for r in criterion["relies_on"] if r["assumption"] != "a5"]
    response = put_framing(client, editor, body)
    assert response.status_code == 422
    assert "a5 holding" in response.get_json()["errors"]["assumptions"][0]


def test_a_framing_whose_criteria_rely_on_an_unlisted_assumption_is_422_naming_the_reliance(
    client, editor
):
    body = client.get("/framings/sliding-scale").get_json()["body"]
    body["assumptions"] = [a for a in body["assumptions"] if a["assumption"] != "a6"]
    response = put_framing(client, editor, body)
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    named = [path for path in errors if path.endswith(".assumption")]
    assert named and all("a6 holding" in errors[path][0] for path in named)


def test_a_framing_whose_weights_vanish_at_scoring_precision_is_refused(client, editor, db):
    body = client.get("/framings/sliding-scale").get_json()["body"]
    for criterion in body["criteria"]:
        criterion["weight"] = 1e-7
    seq = store.max_seq(db)
    response = put_framing(client, editor, body)
    assert response.status_code == 422 and store.max_seq(db) == seq
    assert "criteria.0.weight" in response.get_json()["errors"]


def test_a_stored_framing_with_zero_total_weight_still_scores_as_not_applicable(client, db):
    body = client.get("/framings/sliding-scale").get_json()["body"]
    for criterion in body["criteria"]:
        criterion["weight"] = 0  # only a store-level writer (an old release) could hold this
    append_version(db, "framings", "sliding-scale", body, note="zero")
    response = client.post("/score", json=H20_APPROVAL)
    assert response.status_code == 200
    assert response.get_json()["framings"]["sliding-scale"]["label"] == "not_applicable"


# --- found by a policy analyst scoring measures nobody tuned for ---------------------------


def test_a_foundational_eda_rule_aimed_at_chip_production_is_a_control_the_sliding_scale_keeps(
    client,
):
    gaafet_eda = {
        "name": "Licence requirement on EDA software for GAAFET chip design (August 2022)",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["eda_software"],
        "reach": ["china_production"],
    }
    answer = client.post("/score", json=gaafet_eda).get_json()
    assert answer["derived"]["classification"]["value"] == "foundational"
    assert answer["framings"]["sliding-scale"]["label"] in {"aligned", "strongly_aligned"}


def test_a_licence_programme_for_allies_tied_to_trade_talks_is_no_bargaining_chip_with_beijing(
    client,
):
    fast_track = {
        "name": "Fast-track licences for allies that sign trade deals",
        "direction": "loosen",
        "instrument": "license_approval",
        "layers": ["training_chips"],
        "reach": ["third_countries"],
        "linked_to_negotiations": True,
        "targets": ["partner_countries"],
    }
    criteria = framings(client, fast_track)["freeze-in-place"]["criteria"]
    assert not {c["id"]: c for c in criteria}["fip-not-bargaining"]["applicable"]


def test_a_chip_exactly_at_chinas_frontier_counts_as_one_china_can_already_make(client):
    frontier = client.get("/chips/huawei-ascend-910c").get_json()["body"]["tpp"]
    at_frontier = {
        **loosening_of("nvidia-h20"),
        "chips": [],
        "threshold": {"basis": "fixed", "tpp": frontier},
    }
    rows = {c["id"]: c for c in framings(client, at_frontier)["sliding-scale"]["criteria"]}
    assert rows["ss-foreign-availability"]["value"] == 1
    assert (
        "no better than what Chinese firms already make"
        in rows["ss-foreign-availability"]["rationale"]
    )
