"""A framing's criteria, compiled once per (framing, version), and the arithmetic of DESIGN 3.

Pure: no Flask, no database, no clock, no randomness. The only state is a small cache of
compiled criteria, checked against the body it was built from, so a stale entry is never used.
"""

from bisect import bisect_right
from copy import deepcopy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from service.cache import LRU
from service.scoring.features import expand_reach, number
from service.scoring.words import unmet

PLACES = 4
NA = "not_applicable"
CACHE_SIZE = 256


def rounded(value: float) -> float:
    """Four places, and never -0.0: answers must be identical byte for byte."""
    return round(value, PLACES) + 0.0


@dataclass(frozen=True)
class Band:
    feature: str
    edges: tuple
    values: dict  # direction -> one value per band


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    weight: float
    relies: tuple  # ((assumption id, holds), ...)
    conditions: tuple  # alternatives; each a tuple of (field, frozenset of accepted values)
    values: dict | None  # direction -> flat value
    band: Band | None
    rationale: dict  # direction -> one text, or one text per band


@dataclass(frozen=True)
class CompiledFraming:
    id: str
    version: int
    criteria: tuple


def compile_condition(condition: dict) -> tuple:
    """One `when` object as (field, accepted values) pairs; reach expands `global` here too."""
    pairs = []
    for field, wanted in sorted(condition.items()):
        accepted = frozenset(wanted) if isinstance(wanted, list) else frozenset((wanted,))
        pairs.append((field, expand_reach(accepted) if field == "reach" else accepted))
    return tuple(pairs)


def _numbers(values) -> tuple:
    return tuple(number(v) for v in values)


def compile_criterion(raw: dict) -> Criterion:
    """Numbers are put in their one spelling here, once, rather than in every answer."""
    when = raw.get("when", {})
    conditions = tuple(compile_condition(c) for c in (when if isinstance(when, list) else [when]))
    band = None
    if "bands" in raw:
        spec = raw["bands"]
        band = Band(
            spec["feature"],
            _numbers(spec["edges"]),
            {d: _numbers(spec[d]) for d in ("tighten", "loosen")},
        )
    # An assumption counts once per criterion (the schema insists); keeping the first naming
    # keeps robust alignment linear in each credence even for an unvalidated body.
    relies = {}
    for r in raw.get("relies_on", []):
        relies.setdefault(r["assumption"], r["holds"])
    values = {d: number(v) for d, v in raw["value"].items()} if "value" in raw else None
    return Criterion(
        raw["id"],
        raw["label"],
        number(raw["weight"]),
        tuple(relies.items()),
        conditions,
        values,
        band,
        {d: tuple(t) if isinstance(t, list) else t for d, t in raw["rationale"].items()},
    )


_cache = LRU(CACHE_SIZE)  # (framing id, version) -> (the criteria, their compilation)


def compile_framing(framing_id: str, version: int, body: dict) -> CompiledFraming:
    """Compile a framing's criteria, reusing the last compilation of the same version.

    The cached entry keeps a copy of the criteria it came from and is used only if they are
    still equal: two different models may both call their framing "version 1".
    """
    key, criteria = (framing_id, version), body.get("criteria") or []
    hit = _cache.get(key)
    if hit is not None and hit[0] == criteria:
        return hit[1]
    compiled = CompiledFraming(framing_id, version, tuple(map(compile_criterion, criteria)))
    _cache.put(key, (deepcopy(criteria), compiled))
    return compiled


def matches(conditions: tuple, features: dict) -> bool:
    """Any condition object whose every field overlaps the control's values."""
    return any(
        all(not features[field].isdisjoint(accepted) for field, accepted in condition)
        for condition in conditions
    )


def mismatch_reason(conditions: tuple, features: dict) -> str:
    """Say in words why no condition matched, so 'not applicable' is explained, not asserted."""
    clauses = []
    for condition in conditions:
        failed = [
            unmet(f, accepted) for f, accepted in condition if features[f].isdisjoint(accepted)
        ]
        clauses.append(" and ".join(failed))
    if len(clauses) == 1:
        return f"Not applicable: {clauses[0]}."
    return "Not applicable: " + "; nor does it qualify otherwise, since ".join(clauses) + "."


def evaluate(criterion: Criterion, direction: str, features: dict, numbers: dict):
    """(value, rationale) when the criterion applies, else (None, why it does not)."""
    if not matches(criterion.conditions, features):
        return None, mismatch_reason(criterion.conditions, features)
    rationale = criterion.rationale[direction]
    if criterion.values is not None:
        return criterion.values[direction], rationale
    x = numbers[criterion.band.feature]
    if x is None:
        return None, (
            f"Not applicable: its {criterion.band.feature.replace('_', ' ')} is unknown "
            "(name the chips it covers, or a threshold TPP)."
        )
    band = bisect_right(criterion.band.edges, x)
    if isinstance(rationale, tuple):
        rationale = rationale[band]
    value = criterion.band.values[direction][band]
    if value is None:  # a null band: the criterion speaks only to the other bands
        return None, f"Not applicable: {rationale[:1].lower()}{rationale[1:]}"
    return value, rationale


def survival(relies: tuple, credences: dict) -> float:
    """Π p: the chance every relied-on assumption comes out as the criterion needs.

    An assumption the model does not hold has no credence and leaves the product unchanged.
    """
    product = 1.0
    for assumption, holds in relies:
        credence = credences.get(assumption)
        if credence is not None:
            product *= credence if holds else 1.0 - credence
    return product


def robust(applicable: list, total: float, credences: dict) -> float:
    return sum(c.weight * v * survival(c.relies, credences) for c, v in applicable) / total


def score_for(alignment: float) -> int:
    """round(50 + 50·alignment), half up, in decimal so that 0.5 never rounds down."""
    scaled = Decimal(repr(alignment)) * 50 + 50
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def label_for(alignment: float) -> str:
    if alignment <= -0.6:
        return "strongly_opposed"
    if alignment <= -0.2:
        return "opposed"
    if alignment < 0.2:
        return "neutral"
    return "aligned" if alignment < 0.6 else "strongly_aligned"


def sensitivity(applicable: list, total: float, credences: dict) -> list[dict]:
    """Per relied-on assumption: robust alignment at credence 1 minus at 0, largest first.

    Robust alignment is linear in each credence (an assumption counts once per criterion), so
    the difference is, per criterion relying on it, ±w·v·Π(other p)/Σw: one pass, not two per
    assumption.
    """
    deltas: dict[str, float] = {}
    for c, v in applicable:
        for i, (a, holds) in enumerate(c.relies):
            others = survival(c.relies[:i] + c.relies[i + 1 :], credences)
            deltas[a] = deltas.get(a, 0.0) + (1 if holds else -1) * c.weight * v * others
    rows = [
        {"assumption": a, "credence": credences.get(a), "delta": rounded(d / total)}
        for a, d in deltas.items()
    ]
    return sorted(rows, key=lambda row: (-abs(row["delta"]), row["assumption"]))


def criterion_row(c: Criterion, value, reason, total, credences) -> dict:
    applicable = value is not None
    return {
        "id": c.id,
        "label": c.label,
        "weight": c.weight,
        "applicable": applicable,
        "value": value,
        "contribution": rounded(c.weight * value / total) if applicable else None,
        "rationale": reason,
        "relies_on": [
            {"assumption": a, "holds": h, "credence": credences.get(a)} for a, h in c.relies
        ],
    }


def score_framing(
    framing: CompiledFraming, direction: str, features: dict, numbers: dict, credences: dict
) -> dict:
    """One framing's verdict on one control: alignment, score, label, robustness, reasons."""
    evaluated = [(c, *evaluate(c, direction, features, numbers)) for c in framing.criteria]
    applicable = [(c, value) for c, value, _ in evaluated if value is not None]
    total = sum(c.weight for c, _ in applicable)
    # A zero total cannot come from a valid framing (weights > 0); it must not divide anyway.
    if not applicable or total <= 0:
        alignment, robust_alignment, label, robust_lab, sens = 0.0, 0.0, NA, NA, []
    else:
        alignment = rounded(sum(c.weight * v for c, v in applicable) / total)
        robust_alignment = rounded(robust(applicable, total, credences))
        label, robust_lab = label_for(alignment), label_for(robust_alignment)
        sens = sensitivity(applicable, total, credences)
    return {
        "version": framing.version,
        "alignment": alignment,
        "score": score_for(alignment),
        "label": label,
        "robust_alignment": robust_alignment,
        "robust_label": robust_lab,
        "criteria": [criterion_row(c, v, why, total or 1, credences) for c, v, why in evaluated],
        "sensitivity": sens,
    }
