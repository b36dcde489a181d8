"""A framing's criteria in words for the HTML face: when each applies, its bands, its reliances.

The scorer says why a criterion does *not* apply (service/scoring/words.py `unmet`); this says
when it does, from the same vocabulary, so the framing page never shows a Python list or None.
Pure: a criterion's JSON in, plain strings out (Jinja escapes them).
"""

from service.scoring.words import capitalised, listing

# field -> the positive clause for the accepted values (words._SETS says the negative)
_SAYS = {
    "direction": "it is meant to {}",
    "instrument": "it is {}",
    "layers": "it covers {}",
    "reach": "it reaches {}",
    "targets": "it bites on {}",
    "chips": "it covers {}",
    "threshold_basis": "its threshold is {}",
    "classification": "it is classed as {}",
    "chip_origins": "it covers chips made in {}",
}
# field -> (said when the criterion wants True, said when it wants False)
_FLAGS = {
    "extraterritorial": ("it is extraterritorial", "it is not extraterritorial"),
    "linked_to_negotiations": ("it is linked to negotiations", "it is not linked to negotiations"),
    "has_threshold": ("it sets a threshold", "it sets no threshold"),
    "has_chips": ("it names chips", "it names no chips"),
    "foreign_availability_known": (
        "how its chips compare with China's best is known",
        "how its chips compare with China's best is unknown",
    ),
    "inference_only": (
        "it covers inference chips alone",
        "it does not cover inference chips alone",
    ),
}
_ORIGINS = {"us": "the US", "china": "China"}


def _values(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def clause(field: str, value) -> str:
    """One field of a condition as a clause: ('layers', ['hbm']) -> 'it covers HBM'."""
    values = _values(value)
    if field in _FLAGS:
        wants_true, wants_false = _FLAGS[field]
        return " or ".join(wants_true if v else wants_false for v in dict.fromkeys(values))
    if field == "chip_origins":
        values = [_ORIGINS.get(v, v) for v in values]
    template = _SAYS.get(field, "its " + field.replace("_", " ") + " is {}")
    return template.format(listing(values))


def condition_words(condition: dict) -> str:
    """Every field of one condition must hold: 'It covers HBM and reaches China's market.'"""
    clauses = [clause(field, value) for field, value in condition.items()]
    if not clauses:
        return "Always."
    joined = clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])} and {clauses[-1]}"
    return capitalised(joined) + "."


def when_words(when) -> list[str]:
    """A criterion's `when` as one sentence per alternative (any one suffices); absent: always."""
    if when is None:
        return ["Always."]
    conditions = when if isinstance(when, list) else [when]
    return [condition_words(c) for c in conditions] or ["Always."]


def band_ranges(edges: list) -> list[str]:
    """Each band's span of the feature, as the scorer cuts it (a value on an edge goes up)."""
    shown = [_number(e) for e in edges]
    if not shown:
        return ["any value"]
    middle = [f"{low} to under {high}" for low, high in zip(shown, shown[1:], strict=False)]
    return [f"under {shown[0]}", *middle, f"{shown[-1]} or more"]


def band_rows(bands: dict, rationale: dict | None = None) -> list[dict]:
    """One row per band: its range, and each direction's value (None: not applicable) and reason."""
    rationale = rationale or {}
    rows = []
    for i, span in enumerate(band_ranges(bands.get("edges") or [])):
        row = {"range": span}
        for direction in ("tighten", "loosen"):
            values = bands.get(direction) or []
            texts = rationale.get(direction)
            row[direction] = values[i] if i < len(values) else None
            listed = isinstance(texts, list) and i < len(texts)
            row[direction + "_why"] = texts[i] if listed else None
        rows.append(row)
    return rows


def band_value(value) -> str:
    """A band's value: '+1.0', '−0.5', or 'not applicable' for a null band."""
    if value is None:
        return "not applicable"
    return f"{value:+.1f}".replace("-", "−")


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)
