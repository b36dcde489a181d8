"""Tipping points through the HTTP API: JSON fields, re-scoring at them, Markdown and HTML."""

from tests.api.test_scoring_dynamics import H20_APPROVAL, SEED_DAY

EPS = 1e-3


def test_every_score_says_what_would_change_its_robust_label(client):
    answer = client.post(f"/score?as_of={SEED_DAY}", json=H20_APPROVAL).get_json()
    assert answer["model"]["scorer"] == "2.1.0"
    tips = []
    for fid, result in answer["framings"].items():
        for row in result["sensitivity"]:
            assert set(row["tipping"]) == set(row["ranking_flip"]) == {"below", "above"}
            for side, sign in (("below", -1), ("above", 1)):
                tip = row["tipping"][side]
                if tip is None or abs(row["delta"]) < 0.2:
                    continue
                tips.append(tip)
                beyond = tip["credence"] + sign * EPS
                if not 0 <= beyond <= 1:
                    continue
                body = {**H20_APPROVAL, "assumptions": {row["assumption"]: beyond}}
                again = client.post(f"/score?as_of={SEED_DAY}", json=body).get_json()
                assert again["framings"][fid]["robust_label"] == tip["label"], (fid, row)
    assert tips, "the H20 approval should have at least one tipping point on the seed day"


def test_tipping_points_are_sentences_in_markdown_and_html(client):
    md = client.post(f"/score?as_of={SEED_DAY}&format=md", json=H20_APPROVAL).get_data(as_text=True)
    assert "for this control stays '" in md and " unless a" in md
    html = client.post(
        f"/score?as_of={SEED_DAY}", json=H20_APPROVAL, headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    assert "What would change this verdict" in html and "for this control stays" in html
