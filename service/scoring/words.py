"""The control vocabulary in words, so reasons read as English rather than field names.

One home for how the scorer says an enum value, a list of them, a label or an assumption. Pure.
"""

WORDS = {
    # instruments
    "license_requirement": "a licence requirement",
    "license_approval": "a licence approval",
    "entity_listing": "an Entity List designation",
    "foreign_direct_product_rule": "a foreign direct product rule (FDPR)",
    "end_user_exemption_revocation": "the revocation of a Validated End-User (VEU) exemption",
    "servicing_restriction": "a servicing restriction",
    "guidance": "official guidance",
    "remote_access_restriction": "a restriction on remote access",
    "location_verification": "chip location verification",
    "economic_security_requirement": "an economic security requirement",
    "icts_restriction": "an ICTS restriction",
    "revenue_share": "a revenue share",
    "country_licensing_tiers": "country licensing tiers",
    "export_promotion": "export promotion",
    # layers
    "training_chips": "training chips",
    "inference_chips": "inference chips",
    "hbm": "HBM",
    "manufacturing_equipment": "chipmaking equipment",
    "eda_software": "EDA software",
    "cloud_compute": "cloud compute",
    "model_weights": "model weights",
    "datacenter_infrastructure": "data-centre infrastructure",
    # reach
    "china_market": "China's market",
    "china_production": "China's own chip production",
    "third_countries": "third countries",
    "global": "every market",
    # targets
    "chinese_chip_industry": "China's chip industry",
    "chinese_ai_developers": "Chinese AI developers",
    "military_end_users": "military end users",
    "diversion_routes": "diversion routes",
    "allied_suppliers": "allied suppliers",
    "partner_countries": "partner countries",
    # labels
    "strongly_aligned": "strongly aligned",
    "strongly_opposed": "strongly opposed",
    "not_applicable": "not applicable",
    # framings
    "sliding-scale": "the sliding scale",
    "freeze-in-place": "freeze-in-place",
}


def word(value) -> str:
    """One enum value (or id) in words; unknown values are shown as they are."""
    return WORDS.get(value, str(value).replace("_", " "))


def listing(values, conjunction: str = "or") -> str:
    """'a', 'a or b', 'a, b or c': values in words, in the order given."""
    said = [word(v) for v in values]
    if len(said) <= 1:
        return "".join(said)
    return f"{', '.join(said[:-1])} {conjunction} {said[-1]}"


def framing_name(framing_id: str) -> str:
    """'the sliding scale', 'freeze-in-place'; other framings by their id."""
    return word(framing_id)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_FLAGS = {
    # field -> (said when the criterion wants True and the control is False, and vice versa)
    "extraterritorial": ("it is not extraterritorial", "it is extraterritorial"),
    "linked_to_negotiations": (
        "it is not linked to negotiations",
        "it is linked to negotiations",
    ),
    "has_threshold": ("it sets no threshold", "it sets a threshold"),
    "has_chips": ("it names no chips", "it names chips"),
    "foreign_availability_known": (
        "how its chips compare with China's best is unknown",
        "how its chips compare with China's best is known",
    ),
    "inference_only": (
        "it does not cover inference chips alone",
        "it covers inference chips alone",
    ),
}
_SETS = {
    "direction": "it does not {}",
    "instrument": "its instrument is not {}",
    "layers": "it does not cover {}",
    "reach": "it does not reach {}",
    "targets": "it does not bite on {}",
    "chips": "it does not cover {}",
    "threshold_basis": "it has no {} threshold",
    "classification": "it is not classed as {}",
    "chip_origins": "it covers no chips made in {}",
}
_ORIGINS = {"us": "the US", "china": "China"}
_POSITION = {value: i for i, value in enumerate(WORDS)}


def _vocabulary_order(value) -> tuple:
    return (_POSITION.get(value, len(_POSITION)), str(value))


def unmet(field: str, accepted) -> str:
    """Why a control fails one field of a `when`, as a clause: 'it does not cover HBM'."""
    if field in _FLAGS:
        wants_true, wants_false = _FLAGS[field]
        return wants_true if True in accepted else wants_false
    values = sorted(accepted, key=_vocabulary_order)
    if field == "chip_origins":
        values = [_ORIGINS.get(v, v) for v in values]
    return _SETS.get(field, "it does not match on " + field + " {}").format(listing(values))
