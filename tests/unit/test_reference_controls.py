"""The seeds' reading of real measures, checked against the model built from fixtures/.

Each control fixture records the sign the seeds give it under each framing; the starting
criteria must reproduce those signs from the latest version of every framing, assumption and
chip, without knowing which control is which.
"""

import json
from pathlib import Path

import pytest
from marshmallow import ValidationError

from schemas.control_resource import ControlResourceSchema
from schemas.framing import FramingSchema
from service.scoring import ModelView, criteria_reference_errors, score_control

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED_DAY = "2025-07-21T00:00:00Z"


def histories(kind: str) -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((FIXTURES / kind).glob("*.json"))
    }


def current(kind: str, as_of: str | None = None) -> dict[str, tuple[int, dict]]:
    """id -> (version, body) of the latest version recorded by `as_of`, tombstones left out."""
    out = {}
    for id_, history in histories(kind).items():
        seen = [v for v in history["versions"] if as_of is None or v["recorded_at"] <= as_of]
        if seen and not seen[-1].get("deleted"):
            out[id_] = (seen[-1]["version"], seen[-1]["body"])
    return out


def model_view(as_of: str | None = None) -> ModelView:
    return ModelView(
        current("framings", as_of),
        current("assumptions", as_of),
        current("chips", as_of),
        as_of=as_of,
    )


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


CONTROLS = current("controls")
FRAMINGS = current("framings")


def test_both_framings_and_at_least_the_seed_measures_are_present():
    assert set(FRAMINGS) == {"sliding-scale", "freeze-in-place"}
    assert len(CONTROLS) >= 15


LABEL_SIGN = {"strongly_aligned": 1, "aligned": 1, "neutral": 0, "not_applicable": 0}


def label_sign(label: str) -> int:
    """The sign of the headline label (scorer 3: cut on impact), as the calibration set reads it."""
    return LABEL_SIGN.get(label, -1)


@pytest.mark.parametrize("control_id", sorted(CONTROLS))
def test_the_headline_label_has_the_sign_of_the_seeds_reading(control_id):
    _, body = CONTROLS[control_id]
    answer = score_control(body["control"], model_view())
    got = {fid: label_sign(result["label"]) for fid, result in answer["framings"].items()}
    want = {fid: e["sign"] for fid, e in body["expected"].items()}
    assert got == want, {fid: answer["framings"][fid]["impact"] for fid in got}


def test_every_control_states_an_expectation_for_every_framing():
    for control_id, (_, body) in CONTROLS.items():
        assert set(body["expected"]) == set(FRAMINGS), control_id


@pytest.mark.parametrize(
    ("kind", "schema"), [("controls", ControlResourceSchema), ("framings", FramingSchema)]
)
def test_every_fixture_version_loads_unchanged_through_its_schema(kind, schema):
    for id_, history in histories(kind).items():
        for v in history["versions"]:
            if v.get("deleted"):
                continue
            try:
                loaded = schema().load(v["body"])
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{kind}/{id_} v{v['version']}: {error.messages}")
            assert json.dumps(loaded) == json.dumps(v["body"]), f"{kind}/{id_} v{v['version']}"


def test_framing_criteria_rely_only_on_assumptions_that_exist():
    known = set(model_view().assumptions)
    for framing_id, (_, body) in FRAMINGS.items():
        assert criteria_reference_errors(body["criteria"], known) == {}, framing_id


def test_control_fixtures_name_only_known_chips():
    known = set(model_view().chips)
    for control_id, (_, body) in CONTROLS.items():
        assert set(body["control"].get("chips", [])) <= known, control_id


def test_seed_day_model_reads_the_910c_frontier_as_it_was_then():
    h20 = CONTROLS["h20-licence-reversal-2025-07"][1]["control"]
    then = score_control(h20, model_view(SEED_DAY))["derived"]["foreign_availability"]
    now = score_control(h20, model_view())["derived"]["foreign_availability"]
    assert then["frontier_chip"] == now["frontier_chip"] == "huawei-ascend-910c"
    # 780 TFLOPS x 16 on the seed day; 800 x 16 after Huawei Connect (September 2025).
    assert (then["frontier_tpp"], now["frontier_tpp"]) == (12480, 12800)


def test_the_h20_reversal_is_transactional_and_favours_the_sliding_scale():
    answer = score_control(CONTROLS["h20-licence-reversal-2025-07"][1]["control"], model_view())
    assert answer["derived"]["classification"]["value"] == "transactional"
    assert answer["verdict"]["favoured"] == "sliding-scale"
    impacts = {fid: r["impact"] for fid, r in answer["framings"].items()}
    assert answer["verdict"]["margin"] == round(
        impacts["sliding-scale"] - impacts["freeze-in-place"], 4
    )
    assert answer["verdict"]["margin"] > 0.5
