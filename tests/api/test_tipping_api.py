"""Tipping points through the HTTP API: JSON fields, re-scoring at them, Markdown and HTML."""

from tests.api.test_scoring_dynamics import H20_APPROVAL

EPS = 1e-3


# Latest: with a3 at 0.1, the sliding scale's robust reading of selling the H20 sits just above
# neutral, so a3 has a tipping point (on the seed's day, in impact's units, none is in range).
def test_every_score_says_what_would_change_its_robust_label(client):
    answer = client.post("/score", json=H20_APPROVAL).get_json()
    assert answer["model"]["scorer"] == "3.0.0"
    tips = []
    for fid, result in answer["framings"].items():
        for row in result["sensitivity"]:
            assert set(row["tipping"]) == set(row["ranking_flip"]) == {"below", "above"}
            for side, sign in (("below", -1), ("above", 1)):
                tip = row["tipping"][side]
                if tip is None or abs(row["delta"]) < 0.05:
                    continue
                tips.append(tip)
                beyond = tip["credence"] + sign * EPS
                if not 0 <= beyond <= 1:
                    continue
                body = {**H20_APPROVAL, "assumptions": {row["assumption"]: beyond}}
                again = client.post("/score", json=body).get_json()
                assert again["framings"][fid]["robust_label"] == tip["label"], (fid, row)
    assert tips, "the H20 approval should have at least one tipping point"


def test_tipping_points_are_sentences_in_markdown_and_html(client):
    md = client.post("/score?format=md", json=H20_APPROVAL).get_data(as_text=True)
    assert "for this control stays '" in md and " unless a" in md
    html = client.post("/score", json=H20_APPROVAL, headers={"Accept": "text/html"}).get_data(
        as_text=True
    )
    assert "What would change this verdict" in html and "for this control stays" in html
