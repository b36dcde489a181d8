"""Whom a control bites on (DESIGN section 3): named by the caller, or derived and said so.

The layers alone cannot tell the competitor from the customer: cutting off Huawei and cutting
off a Chinese cloud firm are both "training chips, China", yet the sliding scale welcomes the
first and opposes the second. Pure: no Flask, no database, no clock.
"""

from service.scoring.features import (
    BLOCKING_INSTRUMENTS,
    CHIP_OR_COMPUTE_LAYERS,
    PRODUCTION_LAYERS,
    enum_sorted,
    expand_reach,
)
from service.scoring.words import word

DIVERSION_INSTRUMENTS = frozenset({"location_verification", "remote_access_restriction"})
PARTNER_INSTRUMENTS = frozenset({"country_licensing_tiers", "export_promotion"})
# Beyond DESIGN's four rules: the instruments that, used in third countries, shut Chinese
# suppliers out (the classification already reads them so) bite on China's chip industry.
SUPPLIER_BLOCKING_INSTRUMENTS = BLOCKING_INSTRUMENTS - DIVERSION_INSTRUMENTS


def _rules(control: dict) -> list[tuple[str, str]]:
    """(target, why) for each derivation rule of DESIGN section 3 that the control meets."""
    reach, layers = expand_reach(control["reach"]), set(control["layers"])
    instrument, found = control["instrument"], []
    # `global` alone does not say a measure bites on chipmaking (a worldwide rule on cloud
    # compute does not): China's production must be named, or a production layer covered.
    if "china_production" in control["reach"] or layers & PRODUCTION_LAYERS:
        found.append(
            (
                "chinese_chip_industry",
                "It reaches China's own chip production or the inputs it needs "
                "(chipmaking equipment, HBM, EDA software).",
            )
        )
    if "third_countries" in reach and instrument in SUPPLIER_BLOCKING_INSTRUMENTS:
        found.append(
            (
                "chinese_chip_industry",
                f"It uses {word(instrument)} in third countries, where such measures keep "
                "Chinese suppliers out.",
            )
        )
    if "china_market" in reach and layers & CHIP_OR_COMPUTE_LAYERS:
        found.append(
            ("chinese_ai_developers", "It governs chips or compute sold into China's market.")
        )
    if "third_countries" in reach and instrument in DIVERSION_INSTRUMENTS:
        found.append(
            (
                "diversion_routes",
                "It checks where chips and compute end up in third countries.",
            )
        )
    if "third_countries" in reach and instrument in PARTNER_INSTRUMENTS:
        found.append(("partner_countries", "It sets the terms on which third countries buy US AI."))
    return found


def targets_of(control: dict) -> dict:
    """`{"value": [...], "derived": bool, "reasons": [...]}` for a normalised control."""
    if control.get("targets"):
        return {
            "value": list(control["targets"]),
            "derived": False,
            "reasons": ["Named in the control."],
        }
    rules = _rules(control)
    if not rules:
        return {
            "value": [],
            "derived": True,
            "reasons": [
                "None could be derived from the reach, layers and instrument; name `targets` "
                "so that criteria about whom a control bites on can apply."
            ],
        }
    return {
        "value": enum_sorted({target for target, _ in rules}),
        "derived": True,
        "reasons": [why for _, why in rules],
    }
