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
def labels(module_client):
    """Every measure scored once through POST /score on the fixtures' latest model."""
    client = module_client
    out = {}
    for mid, measure in MEASURES.items():
        response = client.post("/score", json=measure["control"])
        assert response.status_code == 200, (mid, response.get_json())
        out[mid] = response.get_json()
    return out


def label_of(answers, measure, framing):
    return answers[measure]["framings"][framing]["label"]


@pytest.mark.parametrize(("measure", "framing"), CASES)
def test_a_us_or_allied_measure_scores_with_the_sign_the_seeds_logic_gives_it(
    labels, measure, framing
):
    if MEASURES[measure]["jurisdiction"] == "china":
        pytest.skip("a measure of China's is read as evidence (the test below)")
    expected = MEASURES[measure]["expected"][framing]
    agrees = SIGN[label_of(labels, measure, framing)] in expected["signs"]
    assert agrees != bool(expected.get("model_disagrees")), (
        label_of(labels, measure, framing),
        expected,
    )


CHINA = sorted(mid for mid, m in MEASURES.items() if m["jurisdiction"] == "china")


@pytest.mark.parametrize("measure", CHINA)
def test_a_measure_of_chinas_is_favoured_by_no_framing_and_read_as_the_evidence_written_for_it(
    labels, measure
):
    answer, written = labels[measure], MEASURES[measure]
    assert {r["label"] for r in answer["framings"].values()} == {"not_applicable"}
    assert answer["verdict"]["favoured"] is None
    read = {(r["assumption"], r["direction"]) for r in answer["countermeasure"]["bears_on"]}
    assert read == {(e["assumption"], e["direction"]) for e in written["expected_bears_on"]}
    if "expected_classification" in written:
        value = answer["countermeasure"]["classification"]["value"]
        assert value == written["expected_classification"]


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


def test_the_model_agrees_with_the_seed_on_at_least_nine_in_ten_us_and_allied_framing_signs(
    labels,
):
    cases = [(m, f) for m, f in CASES if MEASURES[m]["jurisdiction"] != "china"]
    agree = sum(
        SIGN[label_of(labels, mid, fid)] in MEASURES[mid]["expected"][fid]["signs"]
        for mid, fid in cases
    )
    assert agree / len(cases) >= 0.9, f"{agree} of {len(cases)}"


def test_no_more_than_a_fifth_of_the_sets_readings_are_exactly_plus_or_minus_one(labels):
    impacts = [r["impact"] for a in labels.values() for r in a["framings"].values()]
    assert sum(abs(i) == 1 for i in impacts) <= len(impacts) / 5
