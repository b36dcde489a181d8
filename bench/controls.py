"""The controls the benches score.

CONTROL: the H20-style licence of the July 2025 reversal (the "same control repeated" case).
CONTROLS: DISTINCT controls, a few hundred of them, rotated by the load generator, so a score
is not one cached answer served again: they differ in direction, instrument, layers, reach,
chips and flags, not only in their names.
"""

import itertools
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # the benches put bench/ on the path; the vocabulary is the schema's
    sys.path.insert(0, ROOT)

# The control's vocabulary, from the schema of record: never a second copy of it here.
from schemas.control import DIRECTIONS, INSTRUMENTS, REACHES  # noqa: E402

CONTROL = {
    "name": "Licence H20-class chips for China",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "linked_to_negotiations": True,
    "chips": ["nvidia-h20"],
}

COUNT = 300
LAYERS = (
    ["training_chips"],
    ["inference_chips"],
    ["hbm"],
    ["manufacturing_equipment"],
    ["training_chips", "inference_chips"],
    ["cloud_compute", "model_weights"],
)
REACH_SETS = tuple([reach] for reach in REACHES)  # one reach each
CHIPS = ([], ["nvidia-h20"], ["nvidia-h100", "nvidia-h200"], ["huawei-ascend-910c"])


def distinct_controls(count: int = COUNT) -> list[dict]:
    """`count` different controls, the same list on every call (no randomness)."""
    # The instrument varies fastest, so even the first few dozen cover every instrument.
    combos = itertools.product(LAYERS, REACH_SETS, CHIPS, DIRECTIONS, INSTRUMENTS)
    controls = []
    for n, (layers, reach, chips, direction, instrument) in enumerate(combos):
        control = {
            "name": f"Bench control {len(controls) + 1}: {direction} {instrument}",
            "direction": direction,
            "instrument": instrument,
            "layers": layers,
            "reach": reach,
            "linked_to_negotiations": n % 3 == 0,
            "extraterritorial": n % 5 == 0,
        }
        if chips:
            control["chips"] = chips
        controls.append(control)
        if len(controls) == count:
            break
    return controls


CONTROLS = distinct_controls()
