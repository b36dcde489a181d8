"""Effect size (DESIGN section 3, "Degree"): how much capability or market a control moves.

Four factors, each in (0, 1] and each reported with its inputs and reasons: `breadth` (how much
of its target it covers), `stringency` (how binding it is), `stage` (how far along it is) and
`capability` (how far the chips it covers sit from China's own frontier). The first three come
from the control's optional fields, or are derived from its instrument and said to be derived,
as `targets` is. Pure: no Flask, no database, no clock.
"""

from service.scoring.words import word

BREADTH = {"named_entities": 0.5, "class_of_entities": 0.8, "whole_market": 1.0}
STRINGENCY = {"advisory": 0.5, "conditional": 0.8, "prohibitive": 1.0}
# A bill or proposed rule may never bind; an adopted one may still wait for its effective date.
STAGE = {"proposed": 0.4, "adopted": 0.7, "in_force": 1.0}
# Below China's frontier a chip moves less capability than one at or above it, yet a chip
# China cannot make in volume still moves market share: the floor keeps it from vanishing.
CAPABILITY_FLOOR = 0.7
# Where the frontier chip's TPP is an estimate, the spread the range is taken over (±).
ESTIMATE_SPREAD = 0.15

NAMED_INSTRUMENTS = frozenset({"entity_listing", "end_user_exemption_revocation"})
CLASS_INSTRUMENTS = frozenset(
    {
        "guidance",
        "servicing_restriction",
        "economic_security_requirement",
        "icts_restriction",
        "export_promotion",
    }
)
ADVISORY_INSTRUMENTS = frozenset({"guidance"})
CONDITIONAL_INSTRUMENTS = frozenset(
    {
        "license_approval",
        "revenue_share",
        "location_verification",
        "economic_security_requirement",
        "export_promotion",
        "country_licensing_tiers",
    }
)


# Per derived field: (instruments, value, why) rules tried in order, then the default.
DERIVATIONS = {
    "breadth": (
        (NAMED_INSTRUMENTS, "named_entities", "{} names particular firms."),
        (CLASS_INSTRUMENTS, "class_of_entities", "{} applies to a class of firms or transactions."),
        (None, "whole_market", "{} applies to every sale of what it covers."),
    ),
    "stringency": (
        (ADVISORY_INSTRUMENTS, "advisory", "{} asks rather than forbids."),
        (CONDITIONAL_INSTRUMENTS, "conditional", "{} binds on conditions rather than outright."),
        (None, "prohibitive", "{} forbids what it covers unless licensed."),
    ),
}


def _named(control: dict, field: str) -> dict | None:
    if control.get(field) is None:
        return None
    return {"value": control[field], "derived": False, "reasons": ["Named in the control."]}


def derived_from_instrument(control: dict, field: str) -> dict:
    """`{"value", "derived", "reasons"}` for breadth or stringency: named, or read off the
    instrument by DERIVATIONS and said to be derived."""
    named = _named(control, field)
    if named:
        return named
    instrument = control["instrument"]
    for instruments, value, why in DERIVATIONS[field]:
        if instruments is None or instrument in instruments:
            said = why.format(word(instrument).capitalize())
            return {
                "value": value,
                "derived": True,
                "reasons": [f"{said} Name `{field}` to say otherwise."],
            }
    raise AssertionError("the last rule of each derivation is a default")


def breadth_of(control: dict) -> dict:
    """Named entities, a class of them, or a whole market (see derived_from_instrument)."""
    return derived_from_instrument(control, "breadth")


def stringency_of(control: dict) -> dict:
    """Advisory, conditional or prohibitive (see derived_from_instrument)."""
    return derived_from_instrument(control, "stringency")


def stage_of(control: dict) -> dict:
    """`{"value", "derived", "reasons"}`: a control is read as in force unless it says not."""
    return _named(control, "stage") or {
        "value": "in_force",
        "derived": True,
        "reasons": ["Read as in force; name `stage` (proposed or adopted) for a pending measure."],
    }


def capability_factor(
    fa: dict | None, frontier_scale: float = 1.0, inference_only: bool = False
) -> tuple[float, dict, str]:
    """(factor, inputs, reason) for how far the covered chips sit from China's frontier.

    For an inference-only control the larger of the TPP and memory-bandwidth ratios counts:
    serving models at scale is bound by memory bandwidth, where the H20 leads the 910C."""
    if not fa or fa.get("ratio") is None:
        return 1.0, {"ratio": None}, "No chip or threshold TPP is named, so none is discounted."
    ratio = fa["covered_tpp"] / (fa["frontier_tpp"] * frontier_scale)
    bandwidth = fa.get("memory_bandwidth_ratio") if inference_only else None
    basis = "TPP"
    if bandwidth is not None and bandwidth > ratio:
        ratio, basis = bandwidth, "memory bandwidth (inference chips)"
    value = CAPABILITY_FLOOR + (1 - CAPABILITY_FLOOR) * min(1.0, ratio)
    where = "at or above" if ratio >= 1 else f"at {ratio:.2f}x"
    return (
        value,
        {"ratio": round(ratio, 3), "basis": basis, "floor": CAPABILITY_FLOOR},
        f"By {basis}, the chips it covers sit {where} China's best chip "
        f"({fa['frontier_chip']}): "
        + ("full weight." if ratio >= 1 else "less capability moves than at the frontier."),
    )


def effect_fields(control: dict) -> dict:
    """The three derived fields, as the answer's `derived` block reports them."""
    return {
        "breadth": breadth_of(control),
        "stringency": stringency_of(control),
        "stage": stage_of(control),
    }


def effect_factors(fields: dict, fa: dict | None, inference_only: bool = False) -> list[dict]:
    """The effect-size factors of impact_factors: breadth, stringency, stage, capability."""
    rows = []
    for name, scale in (("breadth", BREADTH), ("stringency", STRINGENCY), ("stage", STAGE)):
        field = fields[name]
        rows.append(
            {
                "factor": name,
                "value": scale[field["value"]],
                "inputs": {name: field["value"], "derived": field["derived"]},
                "reason": " ".join(field["reasons"]),
            }
        )
    value, inputs, reason = capability_factor(fa, 1.0, inference_only)
    rows.append(
        {"factor": "capability", "value": round(value, 4), "inputs": inputs, "reason": reason}
    )
    return rows


def effect_size(factors: list[dict]) -> float:
    product = 1.0
    for row in factors:
        product *= row["value"]
    return product


def spread_scales(fa: dict | None, frontier_is_estimate: bool) -> tuple[float, ...]:
    """The frontier scalings the impact range is taken over: the estimate's spread, if any."""
    if not fa or fa.get("ratio") is None or not frontier_is_estimate:
        return (1.0,)
    return (1.0 - ESTIMATE_SPREAD, 1.0, 1.0 + ESTIMATE_SPREAD)
