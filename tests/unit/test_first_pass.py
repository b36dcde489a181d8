"""The first pass over a score request (schemas/first_pass.py) gives what the schema gives."""

import sys
from pathlib import Path

from hypothesis import find, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_load

from schemas.control import INSTRUMENTS, LAYERS, REACHES, TARGETS, ScoreRequestSchema
from schemas.first_pass import first_pass, plan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from controls import CONTROLS  # noqa: E402

SCHEMA = ScoreRequestSchema()
WORDS = ("tighten", "loosen", *INSTRUMENTS, *LAYERS, *REACHES, *TARGETS, "nvidia-h20")
STRINGS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: w + "\n"),  # a Slug's "$" lets a final newline by
    st.text(max_size=8),
    st.text(min_size=299, max_size=302, alphabet="ab"),
)
SCALARS = st.one_of(STRINGS, st.booleans(), st.integers(), st.floats(), st.none())
VALUES = st.one_of(
    SCALARS,
    st.lists(STRINGS, max_size=3),
    st.lists(SCALARS, max_size=2),
    st.dictionaries(STRINGS, SCALARS, max_size=2),
)
NAMES = st.sampled_from([*SCHEMA.load_fields, "colour"])
# Bench controls with a few members changed or dropped: most are near the line between taken
# and refused, where a difference between the pass and the schema would show.
DOCUMENTS = st.builds(
    lambda control, changes, dropped: {
        key: value for key, value in {**control, **changes}.items() if key not in dropped
    },
    st.sampled_from(CONTROLS),
    st.dictionaries(NAMES, VALUES, max_size=3),
    st.sets(NAMES, max_size=1),
)


def loaded(document):
    try:
        return SCHEMA.load(document)
    except Exception:  # noqa: BLE001 - a refusal of any kind
        return None


@settings(max_examples=3000, deadline=None)
@given(DOCUMENTS)
def test_what_the_first_pass_takes_the_schema_loads_to_the_same_dict_in_the_same_order(doc):
    fast = first_pass(ScoreRequestSchema, doc)
    if fast is not None:
        full = loaded(doc)
        assert full == fast
        assert list(full) == list(fast)


def test_the_documents_tried_hold_some_the_pass_takes_and_some_it_refuses():
    find(DOCUMENTS, lambda doc: first_pass(ScoreRequestSchema, doc) is not None)
    find(DOCUMENTS, lambda doc: first_pass(ScoreRequestSchema, doc) is None)


def test_the_first_pass_takes_every_bench_control_as_the_schema_loads_it():
    for control in CONTROLS:
        assert first_pass(ScoreRequestSchema, control) == SCHEMA.load(control)


def test_the_first_pass_leaves_what_it_cannot_read_to_the_schema():
    control = CONTROLS[0]
    for other in ({"threshold": {"basis": "fixed"}}, {"assumptions": {"a3": 0.5}}, {"x": 1}):
        assert first_pass(ScoreRequestSchema, {**control, **other}) is None
    assert first_pass(ScoreRequestSchema, [control]) is None


def test_a_schema_with_a_hook_the_pass_does_not_know_is_never_passed():
    class Hooked(Schema):
        name = fields.String()

        @post_load
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    assert plan(Hooked) is None
    assert first_pass(Hooked, {"name": "quiet"}) is None
