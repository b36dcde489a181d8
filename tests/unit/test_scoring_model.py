"""The compiled model: criteria compiled once per version and never stale, and the reference
checks of a request and of criteria against the model."""

from service.scoring import (
    compile_model,
    criteria_reference_errors,
    reference_errors,
    score_control,
)
from service.scoring import criteria as scoring_criteria
from tests.unit.scoring_models import control, criterion, model, one

# --- the compiled model ---------------------------------------------------------------


def test_compiled_criteria_are_reused_per_version_but_never_stale():
    first = model(criterion("x", value=(1, -1)))
    same = model(criterion("x", value=(1, -1)))
    changed = model(criterion("x", value=(-1, 1)))  # same framing id and version number
    assert compile_model(first).framings[0] is compile_model(same).framings[0]
    assert one(score_control(control(), changed))["alignment"] == -1.0
    assert len(scoring_criteria._cache) <= scoring_criteria.CACHE_SIZE


# --- reference checks -------------------------------------------------------------------


def test_reference_errors_name_unknown_chips_and_override_assumptions():
    errors = reference_errors(
        control(chips=["us-small", "nope"], assumptions={"a9": 0.5}), model(criterion())
    )
    assert errors == {
        "chips": ["Unknown chip id(s): nope. Known: cn-new, cn-old, us-big, us-small."],
        "assumptions.a9": ["Unknown assumption id 'a9'. Known: a1, a2."],
    }


def test_reference_errors_are_empty_for_a_sound_request():
    assert reference_errors(control(chips=["us-big"], assumptions={"a1": 0}), model()) == {}


def test_criteria_reference_errors_name_unknown_assumptions_by_path():
    criteria = [
        criterion("x", relies=[("a1", True)]),
        criterion("y", relies=[("a1", True), ("a7", False)]),
    ]
    assert criteria_reference_errors(criteria, {"a1", "a2"}) == {
        "criteria.1.relies_on.1.assumption": ["Unknown assumption id 'a7'. Known: a1, a2."]
    }
