"""The scorer's answer: the control normalised, the verdict, the model block, byte-identical
repeats, the input hash, and batches."""

import json

from service.scoring import (
    SCORER_VERSION,
    compile_model,
    score_batch,
    score_control,
)
from tests.unit.scoring_models import BANDS, control, criterion, model

# --- the answer -------------------------------------------------------------------------


def test_control_is_normalised_with_defaults_and_lists_in_enum_order():
    answer = score_control(
        control(
            layers=["hbm", "training_chips", "hbm"],
            reach=["third_countries", "china_market"],
            chips=["us-small", "cn-old", "us-small"],
            threshold={"basis": "fixed", "tpp": 4800.0},
        ),
        model(criterion()),
    )
    assert answer["control"] == {
        "name": "Test control",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["training_chips", "hbm"],
        "reach": ["china_market", "third_countries"],
        "extraterritorial": False,
        "linked_to_negotiations": False,
        "threshold": {"basis": "fixed", "tpp": 4800},
        "chips": ["cn-old", "us-small"],
    }


def test_verdict_favours_the_higher_impact_by_the_difference():
    m = model(criterion("x"), other=[criterion("y", value=(-0.1, 0.1))])
    verdict = score_control(control(), m)["verdict"]
    assert verdict["favoured"] == "one" and verdict["margin"] == 1.25
    assert verdict["summary"] == (
        "One strongly favours Test control (strongly aligned, impact +1.00: central, large "
        "effect, firm), while two opposes it (opposed, impact -0.25: central, large effect, "
        "firm), so it fits one better."
    )


def test_verdict_is_null_on_a_tie():
    m = model(criterion("x"), other=[criterion("y")])
    verdict = score_control(control(), m)["verdict"]
    assert (verdict["favoured"], verdict["margin"]) == (None, 0.0)


def test_model_block_names_every_version_and_the_scorer():
    answer = score_control(control(), model(criterion(), other=[criterion()], as_of="2025-08-01"))
    assert answer["model"] == {
        "as_of": "2025-08-01",
        "release": None,
        "framings": {"one": 3, "two": 1},
        "assumptions": {"a1": 1, "a2": 1},
        "chips": {"cn-new": 2, "cn-old": 1, "us-big": 1, "us-small": 1},
        "what_if": {},
        "scorer": SCORER_VERSION,
    }


def test_repeated_scoring_is_byte_identical():
    m = model(
        criterion("x", relies=[("a1", True)]),
        criterion("b", bands=BANDS),
        other=[criterion("y", value=(0.3, -0.3), relies=[("a2", False)])],
    )
    ctrl = control(chips=["us-small"])
    first = json.dumps(score_control(ctrl, m, {"a1": 0.25}))
    assert first == json.dumps(score_control(json.loads(json.dumps(ctrl)), m, {"a1": 0.25}))


def test_input_hash_changes_with_overrides_and_point_in_time():
    m = model(criterion("x", relies=[("a1", True)]))
    plain = score_control(control(), m)["input_hash"]
    assert plain.startswith("sha256:") and len(plain) == 7 + 64
    assert score_control(control(), m, {"a1": 0.2})["input_hash"] != plain
    later = model(criterion("x", relies=[("a1", True)]), as_of="2026-01-01")
    assert score_control(control(), later)["input_hash"] != plain


def test_input_hash_ignores_list_order_duplicates_and_defaults():
    m = model(criterion())
    a = score_control(control(layers=["hbm", "training_chips"]), m)["input_hash"]
    b = score_control(control(layers=["training_chips", "hbm", "hbm"], extraterritorial=False), m)
    assert a == b["input_hash"]


def test_batch_scores_each_control_as_a_single_call_would():
    m = model(criterion("x", relies=[("a1", True)]), other=[criterion("y")])
    batch = score_batch({"k1": control(), "k2": control(direction="loosen")}, compile_model(m))
    assert batch == {
        "k1": score_control(control(), m),
        "k2": score_control(control(direction="loosen"), m),
    }
