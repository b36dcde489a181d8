"""Pure-scoring throughput: single controls, a batch of 1,000, and growth with criteria count.

Run: .venv/bin/python bench/score.py

Every figure is printed twice: in absolute time, and as a ratio against a trivial baseline
(json.dumps of the same control) measured in the same run, so numbers from different machines
can be compared. Nothing here asserts a timing.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from controls import CONTROL  # noqa: E402  (bench/ is on sys.path as the script dir)

from service.scoring import ModelView, compile_model, score_batch, score_control  # noqa: E402

REPEATS = 5


def latest(kind: str) -> dict:
    """id -> (version, body) of each fixture's latest live version."""
    out = {}
    for path in sorted((ROOT / "fixtures" / kind).glob("*.json")):
        last = json.loads(path.read_text(encoding="utf-8"))["versions"][-1]
        if not last.get("deleted"):
            out[path.stem] = (last["version"], last["body"])
    return out


def best_of(fn, number: int) -> float:
    """Seconds per call: the best of REPEATS runs of `number` calls (least disturbed by noise)."""
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - start) / number)
    return min(runs)


def synthetic_model(base: ModelView, n: int) -> ModelView:
    """One framing of n criteria cycling through flat, banded and reliant shapes."""
    layers = ["training_chips", "inference_chips", "hbm", "eda_software"]
    criteria = []
    for i in range(n):
        c = {
            "id": f"c{i}",
            "label": f"criterion {i}",
            "weight": 1 + i % 3,
            "relies_on": [{"assumption": f"a{1 + i % 6}", "holds": i % 2 == 0}],
            "when": {"layers": [layers[i % 4]], "reach": ["china_market"]},
            "rationale": {"tighten": "t", "loosen": "l"},
        }
        if i % 2:
            c["bands"] = {
                "feature": "foreign_availability_ratio",
                "edges": [1.0, 1.5],
                "tighten": [-1, -0.5, 0.5],
                "loosen": [1, 0.5, -0.5],
            }
        else:
            c["value"] = {"tighten": 1, "loosen": -1}
        criteria.append(c)
    return ModelView({"synthetic": (1, {"criteria": criteria})}, base.assumptions, base.chips)


def row(label: str, seconds: float, baseline: float, unit: str = "per control") -> None:
    print(f"{label:<48} {seconds * 1e6:>10.1f} µs {unit:<12} {seconds / baseline:>8.1f}× baseline")


def main() -> None:
    view = ModelView(latest("framings"), latest("assumptions"), latest("chips"))
    compiled = compile_model(view)
    batch = {f"k{i}": {**CONTROL, "name": f"control {i}"} for i in range(1000)}
    baseline = best_of(lambda: json.dumps(CONTROL), 20000)
    print(f"model: {len(view.framings)} framings, {len(view.assumptions)} assumptions, ", end="")
    print(f"{len(view.chips)} chips; timings are the best of {REPEATS} runs\n")
    row("baseline: json.dumps(control)", baseline, baseline)
    row(
        "score_control(control, ModelView)",
        best_of(lambda: score_control(CONTROL, view), 500),
        baseline,
    )
    row(
        "score_control(control, compile_model(view))",
        best_of(lambda: score_control(CONTROL, compiled), 500),
        baseline,
    )
    row(
        "compile_model(view) (criteria cache warm)",
        best_of(lambda: compile_model(view), 500),
        baseline,
        "per model",
    )
    per_batch = best_of(lambda: score_batch(batch, view), 1)
    row("score_batch(1,000 controls, ModelView)", per_batch / 1000, baseline)
    print(f"{'  = one batch of 1,000':<48} {per_batch * 1e3:>10.1f} ms")
    print()
    for n in (10, 100, 1000):
        model = compile_model(synthetic_model(view, n))
        seconds = best_of(lambda m=model: score_control(CONTROL, m), max(20, 2000 // n))
        row(f"{n:>5} synthetic criteria, one framing", seconds, baseline)
        print(f"{'  per criterion':<48} {seconds / n * 1e6:>10.2f} µs")


if __name__ == "__main__":
    main()
