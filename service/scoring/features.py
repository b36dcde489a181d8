"""What the scorer knows about a control: its normal form and the features criteria match on.

Pure functions of (control, chip catalogue): no Flask, no database, no clock, no randomness.
"""

import math
from dataclasses import dataclass

from schemas.control import DIRECTIONS, INSTRUMENTS, LAYERS, REACHES, TARGETS
from service.scoring.words import word

THRESHOLD_FIELDS = ("basis", "tpp", "performance_density", "memory_bandwidth_tbps")
GLOBAL_PARTS = frozenset({"china_market", "china_production", "third_countries", "global"})
# A revenue share is a bargaining term wherever it applies; a licence approval is one only for
# sales into China (a licence programme for allies is not a chip to trade with Beijing).
TRANSACTIONAL_INSTRUMENTS = frozenset({"revenue_share"})
# Instruments that shut Chinese suppliers (or Chinese access to compute) out of other countries:
# with third-country reach these are the seed's "block and tackle" measures, hence foundational.
BLOCKING_INSTRUMENTS = frozenset(
    {
        "entity_listing",
        "foreign_direct_product_rule",
        "guidance",
        "remote_access_restriction",
        "location_verification",
        "economic_security_requirement",
        "icts_restriction",
    }
)
_ORDER = {name: i for i, name in enumerate(DIRECTIONS + INSTRUMENTS + LAYERS + REACHES + TARGETS)}
CHIP_OR_COMPUTE_LAYERS = frozenset({"training_chips", "inference_chips", "cloud_compute"})
PRODUCTION_LAYERS = frozenset({"manufacturing_equipment", "hbm", "eda_software"})
_EMPTY: frozenset = frozenset()
OPTIONAL_ENUMS = ("imposed_by", "breadth", "stringency", "stage")


def number(value):
    """One spelling per number (4800 and 4800.0 both print as 4800), so hashes are stable."""
    if value is None:
        return None
    value = round(float(value), 6)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def enum_sorted(values) -> list[str]:
    return sorted(set(values), key=lambda v: (_ORDER.get(v, len(_ORDER)), v))


def normalise_control(control: dict) -> dict:
    """Defaults filled, lists de-duplicated and in enum order, numbers in one spelling."""
    out = {"name": control["name"]}
    if control.get("description") is not None:
        out["description"] = control["description"]
    out["direction"] = control["direction"]
    out["instrument"] = control["instrument"]
    out["layers"] = enum_sorted(control["layers"])
    out["reach"] = enum_sorted(control["reach"])
    out["extraterritorial"] = bool(control.get("extraterritorial", False))
    out["linked_to_negotiations"] = bool(control.get("linked_to_negotiations", False))
    if control.get("threshold") is not None:
        threshold = control["threshold"]
        out["threshold"] = {
            key: threshold[key] if key == "basis" else number(threshold[key])
            for key in THRESHOLD_FIELDS
            if threshold.get(key) is not None
        }
    out["chips"] = sorted(set(control.get("chips") or []))
    if control.get("targets"):
        out["targets"] = enum_sorted(control["targets"])
    for field in OPTIONAL_ENUMS:  # only when named, so a control's hash keeps its old spelling
        if control.get(field) is not None:
            out[field] = control[field]
    return out


def expand_reach(values) -> frozenset:
    """`global` counts as all three places a control can bite (on either side of a match)."""
    values = frozenset(values)
    return values | GLOBAL_PARTS if "global" in values else values


@dataclass(frozen=True)
class ChipCatalogue:
    """The chip figures as read, reduced to what scoring needs; built once per model."""

    tpp: dict
    origin: dict
    frontier_tpp: float | int | None
    frontier_chip: str | None
    frontier_estimate: bool = False  # the frontier chip's TPP is an estimate
    bandwidth: dict | None = None  # chip id -> memory bandwidth, TB/s


def build_catalogue(chips: dict) -> ChipCatalogue:
    """`chips` is id -> (version, body); the frontier is the best Chinese chip by TPP."""
    tpp = {cid: number(body.get("tpp")) for cid, (_, body) in chips.items()}
    origin = {cid: body.get("origin") for cid, (_, body) in chips.items()}
    chinese = [(-tpp[cid], cid) for cid in chips if origin[cid] == "china" and tpp[cid]]
    if not chinese:
        return ChipCatalogue(tpp, origin, None, None)
    best_tpp, best_chip = min(chinese)  # ties broken by id: the answer must not depend on order
    estimate = "tpp" in (chips[best_chip][1].get("estimates") or ())
    bandwidth = {cid: number(body.get("memory_bandwidth_tbps")) for cid, (_, body) in chips.items()}
    return ChipCatalogue(tpp, origin, -best_tpp, best_chip, estimate, bandwidth)


def placing(control: dict):
    """min or max: how a control's chips are placed against China's frontier. A tightening
    binds on every chip it covers, so whether it cedes a market China can supply turns on its
    least capable chip; a loosening releases up to its most capable one. (DESIGN section 3 said
    "the largest TPP" for both; a tightening of the H200 and B200 together then read as if it
    touched only the B200, which the sliding scale does not oppose.)"""
    return min if control["direction"] == "tighten" else max


def covered_tpp(control: dict, catalogue: ChipCatalogue):
    """The TPP of the chip that places the control (see placing), else its threshold's TPP,
    else unknown."""
    known = [catalogue.tpp[c] for c in control["chips"] if catalogue.tpp.get(c) is not None]
    if known:
        return placing(control)(known)
    return (control.get("threshold") or {}).get("tpp")


def foreign_availability(control: dict, catalogue: ChipCatalogue) -> dict | None:
    """Covered capability against China's own frontier; None when neither side is known."""
    covered, frontier = covered_tpp(control, catalogue), catalogue.frontier_tpp
    if covered is None and frontier is None:
        return None
    ratio = round(covered / frontier, 3) if covered is not None and frontier else None
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # a vanishing frontier gives no meaningful ratio (and inf is not JSON)
    return {
        "covered_tpp": covered,
        "frontier_tpp": frontier,
        "frontier_chip": catalogue.frontier_chip,
        "ratio": ratio,
        **bandwidth_against_frontier(control, catalogue),
    }


def bandwidth_against_frontier(control: dict, catalogue: ChipCatalogue) -> dict:
    """Memory bandwidth of the covered chips against the frontier chip's, in TB/s.

    Reported beside the TPP ratio because inference turns on bandwidth (the April 2025 H20
    letters were keyed to it): the H20's 4.0 TB/s exceeds the 910C's estimated 3.2 although
    its TPP is a fifth of the 910C's. The bands stay on TPP, the measure ECCN 3A090 and the
    seed's sliding scale index; the capability factor of an inference-only control reads the
    larger of the two ratios (service/scoring/effect.py).
    """
    known = catalogue.bandwidth or {}
    covered = placing(control)((known[c] for c in control["chips"] if known.get(c)), default=None)
    if covered is None:
        covered = (control.get("threshold") or {}).get("memory_bandwidth_tbps")
    frontier = known.get(catalogue.frontier_chip) if catalogue.frontier_chip else None
    ratio = round(covered / frontier, 3) if covered and frontier else None
    return {
        "covered_memory_bandwidth_tbps": covered,
        "frontier_memory_bandwidth_tbps": frontier,
        "memory_bandwidth_ratio": ratio,
    }


def _foundational_reasons(control: dict, targets) -> list[str]:
    reasons, reach = [], expand_reach(control["reach"])
    if "manufacturing_equipment" in control["layers"]:
        reasons.append(
            "Covers semiconductor manufacturing equipment, the base of China's own chip production."
        )
    if "china_production" in control["reach"]:  # named, not implied by `global`
        reasons.append("Reaches China's own chip production.")
    if "third_countries" in reach and "diversion_routes" in targets:
        reasons.append(
            "Closes routes by which controlled chips or compute reach Chinese users through "
            "third countries."
        )
    elif (
        "third_countries" in reach
        and control["instrument"] in BLOCKING_INSTRUMENTS
        and not set(targets) <= {"partner_countries", "allied_suppliers"}
    ):
        reasons.append(
            f"Uses {word(control['instrument'])} to keep Chinese suppliers or Chinese "
            "access out of third countries."
        )
    return reasons


def _transactional_reasons(control: dict) -> list[str]:
    reasons = []
    if control["linked_to_negotiations"]:
        reasons.append("Linked to negotiations: offered or withdrawn as a bargaining chip.")
    if control["instrument"] in TRANSACTIONAL_INSTRUMENTS:
        reasons.append(
            "A revenue share is a discretionary term that can be dialled up or down as leverage."
        )
    if control["instrument"] == "license_approval" and "china_market" in expand_reach(
        control["reach"]
    ):
        reasons.append(
            "A licence approval for sales into China is a discretionary grant that can be "
            "dialled up or down as leverage with Beijing."
        )
    return reasons


def classify(control: dict, targets=()) -> dict:
    """The seed's two buckets; transactional wins, since a bargaining chip can be traded away.

    `targets` is whom the control bites on (named or derived): closing diversion routes abroad
    is one of the seed's block-and-tackle moves, whatever the instrument.
    """
    reasons = _transactional_reasons(control)
    foundational = _foundational_reasons(control, targets)
    if reasons:
        extra = [f"Otherwise foundational: {r}" for r in foundational]
        return {"value": "transactional", "reasons": reasons + extra}
    if foundational:
        return {"value": "foundational", "reasons": foundational}
    return {
        "value": "indeterminate",
        "reasons": [
            "Not linked to negotiations, not a revenue share or a licence approval for sales "
            "into China, and does not constrain Chinese production or block Chinese suppliers "
            "in third markets."
        ],
    }


def _flag(value: bool) -> frozenset:
    return frozenset((bool(value),))


def match_features(
    control: dict, classification: str, fa: dict | None, catalogue: ChipCatalogue, targets
) -> dict[str, frozenset]:
    """Every `when` field as a set, so a condition is one overlap test per field."""
    threshold, layers = control.get("threshold"), control["layers"]
    origins = {catalogue.origin.get(c) for c in control["chips"]} - {None}
    return {
        "direction": frozenset((control["direction"],)),
        "instrument": frozenset((control["instrument"],)),
        "layers": frozenset(layers),
        "targets": frozenset(targets),
        # Inference chips alone: the seed's carve-out (H20, RTX Pro) turns on exactly this.
        "inference_only": _flag("inference_chips" in layers and "training_chips" not in layers),
        "reach": expand_reach(control["reach"]),
        "extraterritorial": _flag(control["extraterritorial"]),
        "linked_to_negotiations": _flag(control["linked_to_negotiations"]),
        "chips": frozenset(control["chips"]),
        "threshold_basis": frozenset((threshold["basis"],)) if threshold else _EMPTY,
        "has_threshold": _flag(threshold),
        "has_chips": _flag(control["chips"]),
        "chip_origins": frozenset(origins),
        "classification": frozenset((classification,)),
        "foreign_availability_known": _flag(fa and fa["ratio"] is not None),
    }


def band_numbers(control: dict, fa: dict | None) -> dict:
    """The derived numbers a band may cut; None where unknown."""
    threshold, fa = control.get("threshold") or {}, fa or {}
    return {
        "foreign_availability_ratio": fa.get("ratio"),
        "covered_tpp": fa.get("covered_tpp"),
        "frontier_tpp": fa.get("frontier_tpp"),
        "threshold_tpp": threshold.get("tpp"),
        "threshold_performance_density": threshold.get("performance_density"),
        "threshold_memory_bandwidth_tbps": threshold.get("memory_bandwidth_tbps"),
    }
