"""Scoring over HTTP: explained, reproducible answers tied to the model versions that made them."""

import copy

import pytest

from tests.conftest import FIXTURES, H20_APPROVAL
from tests.unit.test_reference_controls import label_sign

H20_REVERSAL = "/controls/h20-licence-reversal-2025-07"
PROPOSAL = {
    "name": "Licence H20-class inference chips for China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "linked_to_negotiations": True,
    "chips": ["nvidia-h20"],
}


def score(client, body=None, query=""):
    return client.post(f"/score{query}", json=body or PROPOSAL)


def test_score_answers_every_framing_with_its_version_and_explanations(client):
    answer = score(client).get_json()
    assert set(answer["framings"]) == {"sliding-scale", "freeze-in-place"}
    for result in answer["framings"].values():
        assert result["version"] >= 1 and result["criteria"]
        assert all("rationale" in c and "applicable" in c for c in result["criteria"])
    assert answer["input_hash"].startswith("sha256:")


def test_model_block_names_every_resource_version_used(client):
    model = score(client).get_json()["model"]
    assert set(model["assumptions"]) == {f"a{n}" for n in range(1, 7)}
    assert "huawei-ascend-910c" in model["chips"] and model["scorer"]


def test_same_request_gives_the_same_bytes(client):
    assert score(client).data == score(client).data


def test_loosening_h20_sales_favours_the_sliding_scale(client):
    answer = score(client).get_json()
    assert answer["framings"]["sliding-scale"]["alignment"] > 0
    assert answer["framings"]["freeze-in-place"]["alignment"] < 0
    assert answer["verdict"]["favoured"] == "sliding-scale"


def test_foreign_availability_uses_the_chinese_frontier_in_the_catalogue(client):
    availability = score(client).get_json()["derived"]["foreign_availability"]
    assert availability["covered_tpp"] == 2368 and availability["frontier_chip"]
    assert availability["ratio"] == round(2368 / availability["frontier_tpp"], 3)


def test_what_if_override_changes_robust_alignment_and_the_hash(client):
    plain = score(client).get_json()
    doubted = score(client, {**PROPOSAL, "assumptions": {"a3": 0.0, "a4": 0.0}}).get_json()
    ss = "sliding-scale"
    assert doubted["framings"][ss]["robust_alignment"] != plain["framings"][ss]["robust_alignment"]
    assert doubted["framings"][ss]["alignment"] == plain["framings"][ss]["alignment"]
    assert doubted["input_hash"] != plain["input_hash"]


def test_override_of_unknown_assumption_or_out_of_range_is_422(client):
    response = score(client, {**PROPOSAL, "assumptions": {"a9": 0.5, "a3": 1.5}})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "assumptions.a3.value" in errors
    assert any("a9" in message for message in errors.get("assumptions", []))


def test_unknown_chip_is_422_naming_chips(client):
    response = score(client, {**PROPOSAL, "chips": ["nvidia-h20", "nvidia-z9"]})
    assert response.status_code == 422 and any(
        k.startswith("chips") for k in response.get_json()["errors"]
    )


def test_bad_control_is_422_naming_every_offending_field(client):
    bad = {
        **PROPOSAL,
        "direction": "sideways",
        "layers": [],
        "reach": ["mars"],
        "extra": 1,
        "threshold": {"basis": "fixed", "tpp": -5},
    }
    errors = score(client, bad).get_json()["errors"]
    assert {"direction", "layers", "reach.0", "extra", "threshold.tpp"} <= set(errors)


def test_as_of_scores_against_the_model_as_it_then_stood(client):
    seed = score(client, query="?as_of=2025-07-21").get_json()
    latest = score(client).get_json()
    assert seed["model"]["as_of"] == "2025-07-21T23:59:59Z"
    assert seed["model"]["assumptions"] != latest["model"]["assumptions"]


def test_release_pins_the_model_versions(client, admin, editor):
    client.post("/releases", json={"name": "r1", "description": "d"}, headers=admin)
    pinned = score(client, query="?release=r1").get_json()
    etag = client.get("/assumptions/a3").headers["ETag"]
    client.patch(
        "/assumptions/a3",
        data='{"assessment": {"credence": 0.9}}',
        content_type="application/merge-patch+json",
        headers={**editor, "If-Match": etag},
    )
    again = score(client, query="?release=r1").get_json()
    assert again == pinned and score(client).get_json()["model"] != pinned["model"]


def test_reweighing_a_framing_changes_scores_with_no_code_change(client, editor):
    before = score(client).get_json()["framings"]["sliding-scale"]
    framing = client.get("/framings/sliding-scale")
    body = copy.deepcopy(framing.get_json()["body"])
    applicable = {c["id"] for c in before["criteria"] if c["applicable"]}
    for criterion in body["criteria"]:
        if criterion["id"] not in applicable:
            criterion["weight"] = criterion["weight"] * 10
        elif "value" in criterion:
            criterion["value"] = {"tighten": 1, "loosen": -1}
    client.put(
        "/framings/sliding-scale",
        json=body,
        headers={**editor, "If-Match": framing.headers["ETag"]},
    )
    after = score(client).get_json()["framings"]["sliding-scale"]
    assert after["version"] == before["version"] + 1 and after["alignment"] != before["alignment"]


def test_batch_answers_each_key_and_a_bad_control_does_not_sink_the_others(client):
    response = client.post(
        "/score/batch",
        json={"controls": {"good": PROPOSAL, "bad": {**PROPOSAL, "direction": "up"}}},
    )
    results = response.get_json()["results"]
    assert response.status_code == 200
    assert results["good"]["framings"] and results["bad"]["status"] == 422
    assert "direction" in results["bad"]["errors"]


def test_batch_answer_for_a_key_equals_the_single_answer(client):
    results = client.post("/score/batch", json={"controls": {"k": PROPOSAL}}).get_json()
    assert results["results"]["k"] == score(client).get_json()


def test_batch_over_the_limit_is_422(client):
    controls = {str(n): PROPOSAL for n in range(1001)}
    response = client.post("/score/batch", json={"controls": controls})
    assert response.status_code == 422 and "controls" in response.get_json()["errors"]


def test_stored_control_scores_like_its_posted_control_and_names_its_version(client):
    resource = client.get(H20_REVERSAL).get_json()
    answer = client.get(f"{H20_REVERSAL}/score").get_json()
    source = answer.pop("source")
    assert answer == score(client, resource["body"]["control"]).get_json()
    assert source == {
        "kind": "controls",
        "id": resource["id"],
        "version": resource["version"],
        "url": resource["links"]["self"],
    }


def test_watchlist_item_with_a_control_scores(client):
    items = client.get("/watchlist?limit=200").get_json()["items"]
    measure = next(i["id"] for i in items if i["body"].get("control"))
    assert client.get(f"/watchlist/{measure}/score").get_json()["framings"]


def test_watchlist_item_without_a_control_is_404(client):
    response = client.get("/watchlist/samr-nvidia-mellanox/score")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_unknown_control_score_is_404(client):
    assert client.get("/controls/nope/score").status_code == 404


def test_unknown_chip_is_named_alongside_type_errors(client):
    errors = score(client, {**PROPOSAL, "direction": "up", "chips": ["nope"]}).get_json()["errors"]
    assert {"direction", "chips"} <= set(errors)


def test_unknown_chip_is_judged_against_the_catalogue_as_of_the_request(client, editor):
    body = client.get("/chips/nvidia-h20").get_json()["body"]
    client.post("/chips", json={**body, "name": "Later Chip"}, headers=editor)
    later = {**PROPOSAL, "chips": ["later-chip"]}
    assert score(client, later).status_code == 200
    assert score(client, later, "?as_of=2025-07-21").status_code == 422


def test_batch_answer_does_not_depend_on_the_order_of_its_keys(client):
    forward = {"a": PROPOSAL, "b": {**PROPOSAL, "direction": "tighten"}}
    backward = {"b": forward["b"], "a": forward["a"]}
    first = client.post("/score/batch", json={"controls": forward})
    second = client.post("/score/batch", json={"controls": backward})
    assert first.data == second.data


def test_batch_names_an_unknown_chip_in_its_item_problem(client):
    results = client.post(
        "/score/batch", json={"controls": {"x": {**PROPOSAL, "chips": ["nope"]}}}
    ).get_json()["results"]
    assert "chips" in results["x"]["errors"]


REFERENCE = sorted(p.stem for p in (FIXTURES / "controls").glob("*.json"))


@pytest.mark.parametrize("control_id", REFERENCE)
def test_reference_control_scores_over_http_with_the_sign_the_seeds_give_it(client, control_id):
    expected = client.get(f"/controls/{control_id}").get_json()["body"]["expected"]
    framings = client.get(f"/controls/{control_id}/score").get_json()["framings"]
    for framing_id, expectation in expected.items():
        assert label_sign(framings[framing_id]["label"]) == expectation["sign"], framing_id


def test_batch_markdown_names_each_field_error_of_a_failed_control(client):
    body = {"controls": {"h20": H20_APPROVAL, "broken": {"name": "x", "direction": "sideways"}}}
    text = client.post("/score/batch?format=md", json=body).get_data(as_text=True)
    broken = text[text.index("# broken:") :]
    assert "\n- direction: " in broken and "\n- instrument: " in broken
