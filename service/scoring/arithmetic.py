"""The arithmetic shared by criteria and impact: rounding and credence-weighted sums. Pure."""

PLACES = 4


def rounded(value: float) -> float:
    """Four places, and never -0.0: answers must be identical byte for byte."""
    return round(value, PLACES) + 0.0


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
