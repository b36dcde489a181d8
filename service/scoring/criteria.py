"""A framing's criteria, compiled once per (framing, version), and the arithmetic of DESIGN 3.

Pure: no Flask, no database, no clock, no randomness. The only state is a small cache of
compiled criteria, checked against the body it was built from, so a stale entry is never used.
"""

from bisect import bisect_right
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from service.cache import LRU
from service.scoring.arithmetic import PLACES, robust, rounded, survival  # noqa: F401 (re-exported)
from service.scoring.features import expand_reach, number
from service.scoring.impact import AGENDA_SPAN, Effect, impact_fields, not_engaged
from service.scoring.words import unmet

NA = "not_applicable"
CACHE_SIZE = 256
OUTCOMES = 4096  # per criterion: distinct values of the features its conditions read


# Band features that place the covered chips against China's frontier (see Effect.weighed_by).
FRONTIER = frozenset({"foreign_availability_ratio", "covered_tpp"})


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
    # `conditions` again, each pair with the clause that says it is unmet, worked out here once
    # (see evaluate); and the "not applicable" sentences said so far, by the clauses that failed.
    checks: tuple = ()
    reasons: dict = dataclass_field(default_factory=dict, compare=False, repr=False)
    # The control's features that `conditions` read, as one tuple (None when they read none),
    # and what `unmatched` said for each such tuple seen so far (at most OUTCOMES of them).
    relevant: Callable | None = None
    outcomes: dict = dataclass_field(default_factory=dict, compare=False, repr=False)


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
        checks=compile_checks(conditions),
        relevant=relevant_features(conditions),
    )


def relevant_features(conditions: tuple) -> Callable | None:
    """features -> the values of the fields `conditions` read: all that decides a match."""
    names = sorted({name for condition in conditions for name, _ in condition})
    return itemgetter(*names) if names else None


def compile_checks(conditions: tuple) -> tuple:
    """Each condition as (field, accepted values, the clause `unmet` says when it fails)."""
    return tuple(
        tuple((name, accepted, unmet(name, accepted)) for name, accepted in condition)
        for condition in conditions
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


def _said(failed: tuple) -> str:
    """mismatch_reason's sentence from the clauses that failed, one tuple per condition."""
    clauses = [" and ".join(clauses) for clauses in failed]
    if len(clauses) == 1:
        return f"Not applicable: {clauses[0]}."
    return "Not applicable: " + "; nor does it qualify otherwise, since ".join(clauses) + "."


def unmatched(criterion: Criterion, features: dict) -> str | None:
    """None when a condition matches (as `matches`), else mismatch_reason's sentence.

    One pass over the compiled checks; the sentence is a function of which clauses failed
    alone, so it is built once per criterion and set of failures, then reused.
    """
    failed = []
    for condition in criterion.checks:
        missed = tuple(
            clause for name, accepted, clause in condition if features[name].isdisjoint(accepted)
        )
        if not missed:
            return None
        failed.append(missed)
    key = tuple(failed)
    reason = criterion.reasons.get(key)
    if reason is None:
        reason = criterion.reasons[key] = _said(key)
    return reason


def evaluate(criterion: Criterion, direction: str, features: dict, numbers: dict):
    """(value, rationale) when the criterion applies, else (None, why it does not)."""
    if criterion.relevant is not None:  # the usual case: the outcome for these values, kept
        key = criterion.relevant(features)
        outcomes = criterion.outcomes
        try:
            reason = outcomes[key]
        except KeyError:
            reason = unmatched(criterion, features)
            if len(outcomes) < OUTCOMES:
                outcomes[key] = reason
    elif criterion.checks or not criterion.conditions:
        reason = unmatched(criterion, features)
    else:  # built without compile_criterion: say it the long way
        reason = None
        if not matches(criterion.conditions, features):
            reason = mismatch_reason(criterion.conditions, features)
    if reason is not None:
        return None, reason
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


def score_for(alignment: float) -> int:
    """round(50 + 50·alignment), half up, in decimal so that 0.5 never rounds down."""
    scaled = Decimal(repr(alignment)) * 50 + 50
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def label_for(impact: float) -> str:
    """The label of an impact (scorer 3: cut on impact, not alignment; see THRESHOLDS)."""
    if impact <= THRESHOLDS[0]:
        return "strongly_opposed"
    if impact <= THRESHOLDS[1]:
        return "opposed"
    if impact < THRESHOLDS[2]:
        return "neutral"
    return "aligned" if impact < THRESHOLDS[3] else "strongly_aligned"


# The label cut points on impact, and the label just below and at-or-above each one. Set so
# that each framing's own exemplar measures (the October 2022 rule for freeze-in-place, the H20
# licence reversal for the sliding scale) read strongly_*, and a measure engaging one small
# criterion, or a bill not yet passed, does not (tests/api/test_impact_calibration.py).
THRESHOLDS = (-0.4, -0.02, 0.02, 0.4)
_BELOW = dict(zip(THRESHOLDS, ("strongly_opposed", "opposed", "neutral", "aligned"), strict=True))
_ABOVE = dict(zip(THRESHOLDS, ("opposed", "neutral", "aligned", "strongly_aligned"), strict=True))
SIDES = (("below", -1), ("above", 1))


def raw_deltas(applicable: list, credences: dict) -> dict[str, float]:
    """Per relied-on assumption, Σ ±w·v·Π(other p): the slope of Σw·robust in its credence.

    Robust alignment is linear in each credence (an assumption counts once per criterion), so
    one pass gives every slope, not two scorings per assumption.
    """
    deltas: dict[str, float] = {}
    for c, v in applicable:
        for i, (a, holds) in enumerate(c.relies):
            others = survival(c.relies[:i] + c.relies[i + 1 :], credences)
            deltas[a] = deltas.get(a, 0.0) + (1 if holds else -1) * c.weight * v * others
    return deltas


def _on_side(c: float, c0: float, sign: int) -> bool:
    """c lies in [0, 1] on the `sign` side of c0, and a credence can move past it that way:
    nothing "rises above 1" or "falls below 0" (as said to four places)."""
    said = rounded(c)
    beyond = said >= 1.0 if sign > 0 else said <= 0.0
    return 0.0 <= c <= 1.0 and (c - c0) * sign >= 0 and not beyond


def label_tipping(r0: float, slope: float, c0, label: str) -> dict:
    """The nearest credence below and above c0 at which the robust label changes, and to what.

    r(c) = r0 + slope·(c − c0) exactly; a side is null when no credence in [0, 1] changes the
    label that way (or the model holds no credence for the assumption).
    """
    out = {"below": None, "above": None}
    if c0 is None or slope == 0:
        return out
    for side, sign in SIDES:
        rising = slope * sign > 0
        best = None
        for t in THRESHOLDS:
            c = c0 + (t - r0) / slope
            new = _ABOVE[t] if rising else _BELOW[t]
            if _on_side(c, c0, sign) and new != label and (best is None or abs(c - c0) < best[0]):
                best = (abs(c - c0), c, new)
        if best is not None:
            out[side] = {"credence": rounded(best[1]), "label": best[2]}
    return out


def _order(lines: dict, at: float, c0: float, sign: int, assumption: str) -> list[str]:
    """Framings by robust alignment at credence `at`, ties broken by where they are heading."""

    def key(fid):
        r, deltas = lines[fid]
        d = deltas.get(assumption, 0.0)
        return (-(r + d * (at - c0)), -d * sign, fid)

    return sorted(lines, key=key)


def ranking_tipping(lines: dict, fid: str, assumption: str, c0) -> dict:
    """The nearest credence below and above c0 at which `fid`'s place in the robust ranking
    changes, with the ranking just past it; null on a side where no credence in [0, 1] does.

    `lines`: framing id -> (robust alignment, {assumption: slope}) for the applicable framings.
    """
    out = {"below": None, "above": None}
    if c0 is None or fid not in lines or len(lines) < 2:
        return out
    now = sorted(lines, key=lambda f: (-lines[f][0], f))
    r_f, d_f = lines[fid][0], lines[fid][1].get(assumption, 0.0)
    for side, sign in SIDES:
        best = None
        for other, (r_g, deltas) in lines.items():
            slope = d_f - deltas.get(assumption, 0.0)
            if other == fid or slope == 0:
                continue
            c = c0 - (r_f - r_g) / slope
            if not _on_side(c, c0, sign) or (best is not None and abs(c - c0) >= best[0]):
                continue
            past = _order(lines, c, c0, sign, assumption)
            if (past.index(fid) < past.index(other)) != (now.index(fid) < now.index(other)):
                best = (abs(c - c0), c, past)
        if best is not None:
            out[side] = {"credence": rounded(best[1]), "ranking": best[2]}
    return out


def slopes(applicable: list, total: float, credences: dict) -> dict[str, float]:
    """Per relied-on assumption, d robust_alignment / d credence (= its sensitivity delta)."""
    return {a: d / total for a, d in raw_deltas(applicable, credences).items()}


def sensitivity(
    applicable: list, total: float, credences: dict, r0: float | None = None, lines=None
) -> list[dict]:
    """Per relied-on assumption: robust alignment at credence 1 minus at 0, largest first,
    with the credences at which the robust label would change (`tipping`).

    `r0` (the unrounded robust alignment) and `lines` (slopes) are worked out when not given.
    """
    if r0 is None:
        r0 = robust(applicable, total, credences)
    if lines is None:
        lines = slopes(applicable, total, credences)
    label = label_for(rounded(r0))
    rows = []
    for a, slope in lines.items():
        c0 = credences.get(a)
        rows.append(
            {
                "assumption": a,
                "credence": c0,
                "delta": rounded(slope),
                "tipping": label_tipping(r0, slope, c0, label),
            }
        )
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
    return score_framing_line(framing, direction, features, numbers, credences)[0]


def evaluate_all(framing: CompiledFraming, direction: str, features: dict, numbers: dict) -> list:
    """(criterion, value, rationale) for each of the framing's criteria, in order."""
    return [(c, *evaluate(c, direction, features, numbers)) for c in framing.criteria]


def score_framing_line(
    framing: CompiledFraming,
    direction: str,
    features: dict,
    numbers: dict,
    credences: dict,
    evaluated: list | None = None,
    effect: Effect | None = None,
) -> tuple[dict, tuple | None]:
    """score_framing, and (unrounded robust impact, its slopes) when a criterion applies, so
    the ranking's tipping points can be exact. `evaluated`: evaluate_all's, when the caller
    has it; `effect`: the control's effect size (service/scoring/effect.py), 1 when absent."""
    if evaluated is None:
        evaluated = evaluate_all(framing, direction, features, numbers)
    effect = effect or Effect()
    applicable = [(c, value) for c, value, _ in evaluated if value is not None]
    banded = next((c.id for c, _ in applicable if c.band and c.band.feature in FRONTIER), None)
    if banded:
        effect = effect.weighed_by(banded)
    total = sum(c.weight for c, _ in applicable)
    framing_total = sum(c.weight for c in framing.criteria) or 1.0
    # A zero total cannot come from a valid framing (weights > 0); it must not divide anyway.
    line, degree = None, not_engaged(effect)
    if not applicable or total <= 0:
        alignment, robust_alignment, label, robust_lab, sens = 0.0, 0.0, NA, NA, []
    else:
        alignment = rounded(sum(c.weight * v for c, v in applicable) / total)
        robust_alignment = rounded(robust(applicable, total, credences))
        scale = effect.size / AGENDA_SPAN
        r0 = robust(applicable, framing_total, credences) * scale
        line = (r0, {a: d * scale for a, d in slopes(applicable, framing_total, credences).items()})
        sens = sensitivity(applicable, framing_total, credences, r0, line[1])
        degree = impact_fields(applicable, framing_total, len(framing.criteria), credences, effect)
        label, robust_lab = label_for(degree["impact"]), label_for(degree["robust_impact"])
    result = {
        "version": framing.version,
        "impact": degree["impact"],
        "score": score_for(degree["impact"]),
        "label": label,
        "robust_impact": degree["robust_impact"],
        "robust_label": robust_lab,
        "impact_range": degree["impact_range"],
        **degree["words"],
        "impact_factors": degree["impact_factors"],
        "alignment": alignment,
        "robust_alignment": robust_alignment,
        "criteria": [criterion_row(c, v, why, total or 1, credences) for c, v, why in evaluated],
        "sensitivity": sens,
    }
    return result, line


def add_ranking_tipping(results: dict, lines: dict, credences: dict) -> None:
    """Give each sensitivity row its `ranking_flip` (see ranking_tipping), in place."""
    applicable = {fid: line for fid, line in lines.items() if line is not None}
    for fid, result in results.items():
        for row in result["sensitivity"]:
            row["ranking_flip"] = ranking_tipping(
                applicable, fid, row["assumption"], credences.get(row["assumption"])
            )
