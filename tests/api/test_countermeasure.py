"""Measures China imposes, through the HTTP API (DESIGN section 3, "Who imposes a measure"):
read as evidence on the assumptions, favoured or opposed by no framing, with what they do to
the stored US measures; the rules are data in the assumptions, validated like criteria."""

import json

# The issue's own example: Beijing's August 2025 guidance against buying H20s.
H20_GUIDANCE = {
    "name": "Beijing's guidance against buying H20s",
    "direction": "tighten",
    "instrument": "guidance",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "targets": ["chinese_ai_developers"],
    "chips": ["nvidia-h20"],
    "imposed_by": "china",
}
RARE_EARTHS = {
    "name": "MOFCOM's extraterritorial rare-earth controls",
    "direction": "tighten",
    "instrument": "license_requirement",
    "layers": ["manufacturing_equipment"],
    "reach": ["third_countries"],
    "extraterritorial": True,
    "linked_to_negotiations": True,
    "targets": ["allied_supply_chains", "us_chip_vendors"],
    "imposed_by": "china",
}


def test_beijings_h20_guidance_undermines_a4_and_favours_no_framing(client):
    answer = client.post("/score", json=H20_GUIDANCE).get_json()
    assert answer["verdict"]["favoured"] is None
    assert {r["label"] for r in answer["framings"].values()} == {"not_applicable"}
    bears = [(r["assumption"], r["direction"]) for r in answer["countermeasure"]["bears_on"]]
    assert bears == [("a4", "undermines")]
    assert answer["countermeasure"]["classification"]["value"] == "foundational"
    assert "it undermines a4, “Beijing will stay hands-off" in answer["verdict"]["summary"]
    assert answer["derived"]["imposed_by"] == {
        "value": "china",
        "derived": False,
        "reasons": ["Named in the control."],
    }


def test_rare_earth_leverage_is_transactional_and_never_reads_as_constraining_chinas_chipmaking(
    client,
):
    answer = client.post("/score", json=RARE_EARTHS).get_json()
    assert answer["countermeasure"]["classification"]["value"] == "transactional"
    assert [r["assumption"] for r in answer["countermeasure"]["bears_on"]] == ["a2"]
    rationales = [c["rationale"] for r in answer["framings"].values() for c in r["criteria"]]
    assert not any("China's own chip" in why for why in rationales)


def test_the_answer_shows_the_stored_us_measures_whose_robust_reading_the_evidence_moves(client):
    # With a4 at 0.3 (its credence on the seed's day, as a what-if: the rules are recorded
    # from 2026-12-04 on), evidence against it moves the stored H20 measures.
    answer = client.post("/score", json={**H20_GUIDANCE, "assumptions": {"a4": 0.3}}).get_json()
    counter = answer["countermeasure"]
    assert counter["what_if"] == {"a4": 0.2}
    moved = {(e["control"], e["framing"]): e for e in counter["effects"]}
    reversal = moved[("h20-licence-requirement-2025-04", "sliding-scale")]
    assert reversal["robust_impact_after"] != reversal["robust_impact"]
    assert set(answer["model"]["controls"]) >= {"h20-licence-requirement-2025-04"}


def test_an_allied_measure_scores_as_washingtons_would(client):
    us = {k: v for k, v in H20_GUIDANCE.items() if k != "imposed_by"}
    mine = client.post("/score", json=us).get_json()["framings"]
    theirs = client.post("/score", json={**us, "imposed_by": "ally"}).get_json()["framings"]
    assert {f: r["impact"] for f, r in mine.items()} == {f: r["impact"] for f, r in theirs.items()}


def test_an_unknown_imposer_is_a_422_naming_the_field(client):
    response = client.post("/score", json={**H20_GUIDANCE, "imposed_by": "russia"})
    assert response.status_code == 422
    assert "imposed_by" in response.get_json()["errors"]


def test_a_countermeasure_rule_naming_an_unknown_field_is_refused_as_a_criterion_would_be(
    client, editor
):
    current = client.get("/assumptions/a4")
    rule = {"id": "bad", "when": {"colour": "red"}, "direction": "undermines", "reason": "r"}
    response = client.patch(
        "/assumptions/a4",
        data=json.dumps({"countermeasure_rules": [rule]}),
        headers={**editor, "If-Match": current.headers["ETag"]},
        content_type="application/merge-patch+json",
    )
    assert response.status_code == 422
    assert "countermeasure_rules" in str(response.get_json()["errors"])
