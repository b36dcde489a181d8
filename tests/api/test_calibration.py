"""The public calibration set: real measures nobody tuned the criteria for, scored over HTTP.

calibration/measures.json records, per measure and framing, the signs seed 004's logic allows
(written before scoring). Where the model is known to disagree, the entry says why
(`model_disagrees`) and the test insists it still does, so a fix is noticed and the note removed.
"""

import json
from pathlib import Path

import pytest

from schemas.control import INSTRUMENTS, TARGETS

SET = json.loads(
    (Path(__file__).resolve().parents[2] / "calibration" / "measures.json").read_text("utf-8")
)
MEASURES = {m["id"]: m for m in SET["measures"]}
SIGN = {
    "strongly_aligned": 1,
    "aligned": 1,
    "neutral": 0,
    "not_applicable": 0,
    "opposed": -1,
    "strongly_opposed": -1,
}
CASES = [(mid, fid) for mid, m in sorted(MEASURES.items()) for fid in sorted(m["expected"])]


@pytest.fixture(scope="module")
def labels(template_db, tmp_path_factory):
    """Every measure scored once through POST /score on the fixtures' latest model."""
    from service import create_app

    db = tmp_path_factory.mktemp("calibration") / "framings.db"
    db.write_bytes(template_db.read_bytes())
    client = create_app({"DATABASE": str(db), "TESTING": True}).test_client()
    out = {}
    for mid, measure in MEASURES.items():
        response = client.post("/score", json=measure["control"])
        assert response.status_code == 200, (mid, response.get_json())
        out[mid] = {fid: r["label"] for fid, r in response.get_json()["framings"].items()}
    return out


@pytest.mark.parametrize(("measure", "framing"), CASES)
def test_a_real_measure_scores_with_the_sign_the_seeds_logic_gives_it(labels, measure, framing):
    expected = MEASURES[measure]["expected"][framing]
    agrees = SIGN[labels[measure][framing]] in expected["signs"]
    assert agrees != bool(expected.get("model_disagrees")), (labels[measure][framing], expected)


def test_the_set_holds_at_least_thirty_measures_from_2018_to_2026_beyond_the_fixtures():
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "controls"
    assert len(MEASURES) >= 30 and not set(MEASURES) & {p.stem for p in fixtures.glob("*.json")}
    assert all("2018" <= m["date"][:4] <= "2026" for m in MEASURES.values())


def test_the_set_uses_every_instrument_and_every_target():
    controls = [m["control"] for m in MEASURES.values()]
    assert {c["instrument"] for c in controls} == set(INSTRUMENTS)
    assert {t for c in controls for t in c.get("targets", [])} == set(TARGETS)


def test_the_set_has_us_allied_and_chinese_measures_each_with_reasons_and_sources():
    assert {m["jurisdiction"] for m in MEASURES.values()} == {"us", "allied", "china"}
    for mid, m in MEASURES.items():
        assert m["sources"] and all(e["why"] for e in m["expected"].values()), mid


def test_the_model_agrees_with_the_seed_on_at_least_nine_in_ten_framing_signs(labels):
    agree = sum(
        SIGN[labels[mid][fid]] in MEASURES[mid]["expected"][fid]["signs"] for mid, fid in CASES
    )
    assert agree / len(CASES) >= 0.9, f"{agree} of {len(CASES)}"
