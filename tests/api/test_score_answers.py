"""Score answers: a function of the control's canonical form, the options and the model; the
summary detail; and release-pinned reads marked immutable for caches in front."""

import pytest

from service import create_app
from service.web.model import SUMMARY_KEYS
from tests.conftest import H20_APPROVAL, append_version

PROPOSAL = H20_APPROVAL


@pytest.fixture
def client(db_path):
    """The memo in front turned off, so every request reaches the view
    (tests/api/test_memo.py covers the memo)."""
    config = {"DATABASE": str(db_path), "TESTING": True, "ANSWER_MEMO_BYTES": 0}
    return create_app(config).test_client()


def test_a_repeated_score_is_the_answer_a_fresh_app_computes(client, db_path):
    first = client.post("/score", json=PROPOSAL)
    again = client.post("/score", json=dict(reversed(PROPOSAL.items())))  # same control
    fresh = create_app({"DATABASE": str(db_path)}).test_client().post("/score", json=PROPOSAL)
    assert first.data == again.data == fresh.data
    assert first.headers["Vary"] == again.headers["Vary"] == "Accept"


def test_controls_with_one_canonical_form_get_one_answer(client, db_path):
    """Lists in another order or repeated, defaults written out, numbers spelled otherwise:
    the scorer normalises them away, so the answer is the same."""
    spelled = {
        **PROPOSAL,
        "layers": ["inference_chips", "inference_chips"],
        "reach": ["china_market"],
        "chips": ["nvidia-h20", "nvidia-h20"],
        "extraterritorial": False,
        "linked_to_negotiations": False,
        "assumptions": {"a3": 0.5},
    }
    first = client.post("/score", json={**PROPOSAL, "assumptions": {"a3": 0.5}})
    again = client.post("/score", json=spelled)
    fresh = create_app({"DATABASE": str(db_path)}).test_client().post("/score", json=spelled)
    assert first.status_code == 200
    assert first.data == again.data == fresh.data
    # Not the same canonical form: another answer.
    other = client.post("/score", json={**spelled, "assumptions": {"a3": 0.25}})
    assert other.data != first.data
    # An unknown chip is still refused.
    bad = client.post("/score", json={**spelled, "chips": ["nvidia-h20", "no-such-chip"]})
    assert bad.status_code == 422


def test_a_write_the_score_depends_on_shows_in_the_next_answer(client, db):
    before = client.post("/score", json=PROPOSAL).get_json()
    a3 = client.get("/assumptions/a3").get_json()["body"]
    append_version(
        db, "assumptions", "a3", {**a3, "assessment": {**a3["assessment"], "credence": 0.01}}
    )
    after = client.post("/score", json=PROPOSAL).get_json()
    assert after["model"]["assumptions"]["a3"] == before["model"]["assumptions"]["a3"] + 1
    ss = "sliding-scale"
    assert after["framings"][ss]["robust_alignment"] != before["framings"][ss]["robust_alignment"]


def test_other_options_are_other_answers(client):
    full = client.post("/score", json=PROPOSAL).get_json()
    doubt = client.post("/score", json={**PROPOSAL, "assumptions": {"a3": 0.01}}).get_json()
    assert doubt["model"]["what_if"] and not full["model"]["what_if"]
    dated = client.post("/score?as_of=2025-07-21", json=PROPOSAL).get_json()
    assert dated["model"]["as_of"] and full["model"]["as_of"] is None


def test_summary_keeps_four_figures_per_framing(client):
    full = client.post("/score", json=PROPOSAL).get_json()
    answer = client.post("/score?detail=summary", json=PROPOSAL)
    assert answer.status_code == 200
    short = answer.get_json()
    assert len(answer.data) < len(client.post("/score", json=PROPOSAL).data) / 3
    assert short["framings"].keys() == full["framings"].keys()
    for name, framing in short["framings"].items():
        assert list(framing) == list(SUMMARY_KEYS)
        assert framing == {key: full["framings"][name][key] for key in SUMMARY_KEYS}
    assert {k: v for k, v in short.items() if k != "framings"} == {
        k: v for k, v in full.items() if k != "framings"
    }
    assert client.post("/score?detail=full", json=PROPOSAL).get_json() == full


def test_batch_summary_cuts_scores_and_keeps_problems(client):
    controls = {"good": PROPOSAL, "bad": {**PROPOSAL, "direction": "sideways"}}
    full = client.post("/score/batch", json={"controls": controls}).get_json()["results"]
    answer = client.post("/score/batch?detail=summary", json={"controls": controls})
    short = answer.get_json()["results"]
    assert short["bad"] == full["bad"] and short["bad"]["status"] == 422
    for name, framing in short["good"]["framings"].items():
        assert framing == {key: full["good"]["framings"][name][key] for key in SUMMARY_KEYS}


def test_an_unknown_detail_is_a_422(client):
    answer = client.post("/score?detail=brief", json=PROPOSAL)
    assert answer.status_code == 422
    assert "detail" in answer.get_data(as_text=True)


def test_other_formats_explain_in_full(client):
    full = client.post("/score?format=md", json=PROPOSAL)
    short = client.post("/score?format=md&detail=summary", json=PROPOSAL)
    assert full.status_code == 200 and short.data == full.data


def test_the_openapi_document_offers_the_summary(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/score", "/score/batch"):
        params = {p["name"]: p for p in paths[path]["post"]["parameters"]}
        assert params["detail"]["schema"]["enum"] == ["full", "summary"]
        assert "summary" in params["detail"]["description"]


def test_release_pinned_reads_are_immutable(client, admin):
    made = client.post("/releases", json={"name": "r1", "description": "d"}, headers=admin)
    assert made.status_code == 201
    pinned = client.get("/assumptions/a3?release=r1")
    assert pinned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/assumptions/a3").headers["Cache-Control"] == "no-cache"
    assert client.get("/assumptions/a3?release=nope").headers["Cache-Control"] == "no-store"
    page = client.get("/assumptions/a3?release=r1&format=html")
    assert page.headers["Cache-Control"] == "no-cache"
