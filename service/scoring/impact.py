"""Impact (DESIGN section 3, "Degree"): how much a control matters to a framing, signed.

impact = clamp(share / AGENDA_SPAN) × effect size, where `share` is Σ w·v over the applicable
criteria divided by the weight of **all** the framing's criteria (not renormalised, so touching
one small criterion no longer reads ±1) and effect size is service/scoring/effect.py's product.
robust_impact weighs each criterion by Π p of its assumptions, as robust_alignment does. Both
are linear in each credence (below the clamp), so tipping points stay exact. Pure.
"""

from dataclasses import dataclass
from itertools import product

from service.scoring.arithmetic import robust, rounded

# A measure that engages this share of a framing's weight on one side engages its agenda in
# full: no real measure touches every criterion (several exclude one another, such as the
# bands on either side of China's frontier), and the framings' exemplars engage 30-60%.
AGENDA_SPAN = 0.4
# How far the credences are moved, each way, for the impact range.
CREDENCE_SPREAD = 0.25
CENTRAL, SECONDARY = 0.6, 0.25  # agenda engaged
LARGE, MODERATE = 0.8, 0.5  # effect size


@dataclass(frozen=True)
class Effect:
    """A control's effect size: the product of its factors, its value at each end of the
    estimates' spread, and the factor rows (service/scoring/effect.py)."""

    size: float = 1.0
    sizes: tuple = (1.0,)
    factors: tuple = ()

    def weighed_by(self, criterion_id: str) -> "Effect":
        """The effect with capability left at 1: a criterion banded on the chips' distance
        to China's frontier already weighs it, and it must not count twice."""
        rows = [row for row in self.factors if row["factor"] != "capability"]
        cap = next((row for row in self.factors if row["factor"] == "capability"), None)
        if cap is None or cap["value"] == 1:
            return self
        rows.append(
            {
                "factor": "capability",
                "value": 1.0,
                "inputs": {**cap["inputs"], "weighed_by": criterion_id},
                "reason": f"The criterion {criterion_id} already weighs how far the chips sit "
                "from China's frontier, so it is not counted again.",
            }
        )
        size = self.size / cap["value"]
        return Effect(size, (size, size), tuple(rows))


def clamp(x: float) -> float:
    return max(-1.0, min(1.0, x))


def agenda_row(applicable: list, framing_total: float, count: int) -> dict:
    """The `agenda` factor: how much of the framing's weight the control engages, signed."""
    engaged = [(c, v) for c, v in applicable if v]
    weight = sum(c.weight for c, _ in engaged)
    share = sum(c.weight * v for c, v in engaged) / framing_total
    return {
        "factor": "agenda",
        "value": rounded(min(1.0, abs(share) / AGENDA_SPAN)),
        "inputs": {
            "criteria_engaged": len(engaged),
            "criteria": count,
            "engaged_weight": rounded(weight),
            "framing_weight": rounded(framing_total),
            "share": rounded(share),
            "span": AGENDA_SPAN,
        },
        "reason": (
            f"It engages {len(engaged)} of the framing's {count} criteria, carrying "
            f"{weight / framing_total:.0%} of its weight (net {share:+.0%} after their signs); "
            f"a measure that engages {AGENDA_SPAN:.0%} or more counts in full."
        ),
    }


def _corners(applicable: list, credences: dict) -> list[dict]:
    relied = sorted({a for c, _ in applicable for a, _ in c.relies if credences.get(a) is not None})
    sides = [
        (max(0.0, credences[a] - CREDENCE_SPREAD), min(1.0, credences[a] + CREDENCE_SPREAD))
        for a in relied
    ]
    return [{**credences, **dict(zip(relied, corner, strict=True))} for corner in product(*sides)]


def impact_range(
    applicable: list, total: float, credences: dict, effects: tuple, impact: float
) -> dict:
    """(low, high) of the impact over the credences ±CREDENCE_SPREAD and the estimates' spread
    (`effects`: the effect size at each end of it), hull with the unweighted impact."""
    values = [impact]
    for moved in _corners(applicable, credences):
        share = robust(applicable, total, moved)
        values.extend(clamp(share / AGENDA_SPAN) * e for e in effects)
    return {"low": rounded(min(values)), "high": rounded(max(values))}


def words(engaged: float, effect: float, rng: dict, impact: float) -> dict:
    """Centrality, effect and certainty in words, for the verdict and the faces.

    Centrality reads the weight engaged on either side (criteria that cancel still show what
    the framing cares about); a reading is firm only when its whole range has the impact's sign
    and its weaker end keeps at least half of its stronger end."""
    ends = sorted((abs(rng.get("low", 0.0)), abs(rng.get("high", 0.0))))
    same_side = impact != 0 and rng["low"] * impact > 0 and rng["high"] * impact > 0
    return {
        "centrality": "central"
        if engaged >= CENTRAL
        else "secondary"
        if engaged >= SECONDARY
        else "peripheral",
        "effect": "large" if effect >= LARGE else "moderate" if effect >= MODERATE else "small",
        "certainty": "firm" if same_side and ends[0] >= ends[1] / 2 else "uncertain",
    }


def engaged_share(agenda: dict) -> float:
    """Weight engaged on either side, as a share of the agenda span (capped at 1)."""
    inputs = agenda["inputs"]
    return min(1.0, inputs["engaged_weight"] / inputs["framing_weight"] / AGENDA_SPAN)


def impact_fields(
    applicable: list, framing_total: float, count: int, credences: dict, effect: Effect
) -> dict:
    """impact, robust_impact, impact_range, impact_factors and the words, for one framing."""
    agenda = agenda_row(applicable, framing_total, count)
    scale = effect.size / AGENDA_SPAN
    share = agenda["inputs"]["share"]
    impact = rounded(clamp(sum(c.weight * v for c, v in applicable) / framing_total * scale))
    robust_impact = rounded(clamp(robust(applicable, framing_total, credences) * scale))
    rng = impact_range(applicable, framing_total, credences, effect.sizes, impact)
    return {
        "impact": impact,
        "robust_impact": robust_impact,
        "impact_range": rng,
        "words": words(engaged_share(agenda), effect.size, rng, impact if share else 0.0),
        "impact_factors": [agenda, *effect.factors],
    }


def not_engaged(effect: Effect) -> dict:
    """The degree fields of a framing none of whose criteria apply."""
    return {
        "impact": 0.0,
        "robust_impact": 0.0,
        "impact_range": {"low": 0.0, "high": 0.0},
        "words": {
            "centrality": "not_engaged",
            "effect": words(0, effect.size, {}, 0)["effect"],
            "certainty": "firm",
        },
        "impact_factors": list(effect.factors),
    }
