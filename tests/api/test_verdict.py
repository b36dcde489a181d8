"""The verdict sentence in every edge case of DESIGN section 3, through POST /score."""

from tests.api.test_scoring_dynamics import HUAWEI_LISTING as BOTH_FAVOUR
from tests.conftest import H20_APPROVAL

BOTH_OPPOSE = {
    "name": "Release the B200 to China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["training_chips", "inference_chips"],
    "reach": ["china_market"],
    "chips": ["nvidia-b200"],
}
ONE_APPLIES = {
    "name": "Allied licence requirement on model weights",
    "direction": "tighten",
    "instrument": "license_requirement",
    "layers": ["model_weights"],
    "reach": ["china_market"],
    "extraterritorial": True,
    "targets": ["allied_suppliers"],
}
NONE_APPLIES = {
    "name": "Guidance on model weights",
    "direction": "loosen",
    "instrument": "guidance",
    "layers": ["model_weights"],
    "reach": ["china_market"],
    "targets": ["allied_suppliers"],
}
H20 = H20_APPROVAL


def verdict(client, body):
    return client.post("/score", json=body).get_json()["verdict"]


def test_when_both_framings_favour_a_control_the_verdict_says_so(client):
    assert verdict(client, BOTH_FAVOUR)["summary"].startswith(
        "Both framings favour Huawei added to the Entity List"
    )


def test_when_both_framings_oppose_a_control_neither_is_favoured(client):
    answer = verdict(client, BOTH_OPPOSE)
    assert answer["favoured"] is None
    assert answer["summary"].startswith("Both framings oppose Release the B200 to China")
    assert "sits equally" not in answer["summary"]


def test_a_framing_with_no_applicable_criterion_is_never_said_to_fit_better(client):
    answer = verdict(client, ONE_APPLIES)
    assert "better" not in answer["summary"]
    assert "the sliding scale has no criterion that applies to it" in answer["summary"]
    assert answer["favoured"] == "freeze-in-place"


def test_when_no_framing_applies_the_model_takes_no_position(client):
    answer = verdict(client, NONE_APPLIES)
    assert answer["favoured"] is None
    assert answer["summary"].startswith("Neither framing has a criterion that applies")


def test_a_robust_label_that_differs_names_the_load_bearing_assumptions(client):
    answer = client.post("/score", json=H20).get_json()
    sliding = answer["framings"]["sliding-scale"]
    assert sliding["label"] == "strongly_aligned" and sliding["robust_label"] != sliding["label"]
    assert "the sliding scale's reading is" in answer["verdict"]["summary"]
    assert "it rests on a" in answer["verdict"]["summary"]


def test_what_if_credences_are_named_in_the_verdict_and_recorded_in_the_model(client):
    answer = client.post("/score", json={**H20, "assumptions": {"a3": 0.9, "a4": 1}}).get_json()
    assert answer["model"]["what_if"] == {"a3": 0.9, "a4": 1}
    assert answer["verdict"]["summary"].endswith(
        "These figures use what-if credences for this request only: a3 = 0.9, a4 = 1."
    )


def test_without_what_if_the_model_records_none_and_the_verdict_mentions_none(client):
    answer = client.post("/score", json=H20).get_json()
    assert answer["model"]["what_if"] == {} and "what-if" not in answer["verdict"]["summary"]


def test_reasons_are_words_not_field_names(client):
    answer = client.post("/score", json=H20).get_json()
    rationales = [c["rationale"] for f in answer["framings"].values() for c in f["criteria"]]
    assert not any("match on" in r or "_" in r for r in rationales), rationales


def test_a_neutral_framing_against_an_opposed_one_is_said_to_take_no_side(client):
    kyc = {
        "name": "Know-your-customer rule for US cloud providers",
        "direction": "loosen",
        "instrument": "remote_access_restriction",
        "layers": ["cloud_compute"],
        "reach": ["third_countries", "china_market"],
        "targets": ["diversion_routes", "chinese_ai_developers"],
    }
    answer = client.post("/score", json=kyc).get_json()
    labels = {f: r["label"] for f, r in answer["framings"].items()}
    assert labels["sliding-scale"] == "neutral", labels
    assert answer["verdict"]["favoured"] is None
    assert "the sliding scale takes no side" in answer["verdict"]["summary"]
    assert "better" not in answer["verdict"]["summary"]


def test_an_assumption_a_framing_needs_to_fail_is_named_as_failing(client):
    summary = verdict(client, {**H20, "assumptions": {"a3": 0.9, "a4": 0.9, "a5": 0.9}})["summary"]
    assert (
        "freeze-in-place's reading is" in summary
        and "a3 (relied on to fail; credence 0.9)" in summary
    )


def test_before_the_model_held_any_framing_the_verdict_says_so(client):
    response = client.post("/score?as_of=2018-10-30", json={**H20, "chips": []})
    assert response.status_code == 200
    assert response.get_json()["verdict"]["summary"] == (
        "The model held no framing at that point, so there is nothing to compare."
    )
