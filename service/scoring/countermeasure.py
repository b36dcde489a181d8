"""A measure China imposes, read as evidence (DESIGN section 3, "Who imposes a measure").

The framings prescribe US policy, so no framing favours or opposes a measure of Beijing's.
Instead the answer says which assumptions it is evidence on (`bears_on`, by rules kept as data
in each assumption's `countermeasure_rules`), whether it is leverage (`transactional`) or
self-reliance (`foundational`), and what it does to the case for the stored US measures: their
robust impact with the credences moved as it suggests, as a what-if. Pure.
"""

from dataclasses import dataclass

from service.scoring.arithmetic import rounded
from service.scoring.criteria import compile_condition, matches
from service.scoring.words import word

# How far one measure moves a credence it bears on, for the what-if on stored measures.
CREDENCE_STEP = 0.1
LEVERAGE_INSTRUMENTS = frozenset(
    {"license_requirement", "economic_security_requirement", "entity_listing"}
)
LEVERAGE_TARGETS = frozenset({"us_chip_vendors", "allied_supply_chains"})


@dataclass(frozen=True)
class Rule:
    assumption: str
    id: str
    conditions: tuple
    direction: str
    reason: str
    title: str = ""  # the assumption's title, so the verdict can say it in words


def compile_rules(assumptions: dict) -> tuple:
    """Every assumption's `countermeasure_rules`, compiled; id -> (version, body) in."""
    rules = []
    for aid, (_, body) in sorted(assumptions.items()):
        for raw in body.get("countermeasure_rules") or []:
            when = raw.get("when", {})
            conditions = tuple(
                compile_condition(c) for c in (when if isinstance(when, list) else [when])
            )
            rules.append(
                Rule(
                    aid,
                    raw["id"],
                    conditions,
                    raw["direction"],
                    raw["reason"],
                    body.get("title") or "",
                )
            )
    return tuple(rules)


def bears_on(rules: tuple, features: dict) -> list[dict]:
    """The assumptions a measure is evidence on, one row per assumption (first rule wins)."""
    out, seen = [], set()
    for rule in rules:
        if rule.assumption in seen or not matches(rule.conditions, features):
            continue
        seen.add(rule.assumption)
        out.append(
            {
                "assumption": rule.assumption,
                "title": rule.title,
                "direction": rule.direction,
                "rule": rule.id,
                "reason": rule.reason,
            }
        )
    return out


def classify_countermeasure(control: dict, targets) -> dict:
    """Self-reliance (foundational) or leverage in a negotiation (transactional), in the seed's
    sense. Steering buyers to domestic chips or building China's own capacity is foundational
    even when it hurts a US vendor; a measure is leverage when it is linked to negotiations, or
    when it bites on US or allied suppliers without building China's own capacity."""
    targets = set(targets)
    if control["linked_to_negotiations"]:
        return {
            "value": "transactional",
            "reasons": ["Linked to negotiations: offered or withdrawn as leverage."],
        }
    builds = targets & {"chinese_chip_industry", "chinese_ai_developers"}
    if control["direction"] == "tighten" and builds:
        return {
            "value": "foundational",
            "reasons": [
                "Steers Chinese buyers or builders towards domestic chips: self-reliance, "
                "not a term to be traded."
            ],
        }
    if control["instrument"] in LEVERAGE_INSTRUMENTS and targets & LEVERAGE_TARGETS:
        return {
            "value": "transactional",
            "reasons": [
                f"Uses {word(control['instrument'])} on US chip vendors or allied supply "
                "chains, a lever Beijing can tighten or relax as talks require."
            ],
        }
    return {
        "value": "indeterminate",
        "reasons": ["Neither leverage on US or allied suppliers nor a push for domestic chips."],
    }


def moved_credences(rows: list[dict], credences: dict) -> dict:
    """The what-if the measure suggests: each credence it bears on moved one step its way."""
    moved = {}
    for row in rows:
        c = credences.get(row["assumption"])
        if c is None:
            continue
        step = CREDENCE_STEP if row["direction"] == "supports" else -CREDENCE_STEP
        moved[row["assumption"]] = rounded(min(1.0, max(0.0, c + step)))
    return moved


def effect_rows(before: dict, after: dict, versions: dict) -> list[dict]:
    """Stored controls whose robust impact the what-if moves: control, framing, before, after."""
    rows = []
    for cid in sorted(before):
        for fid in sorted(before[cid]["framings"]):
            b, a = before[cid]["framings"][fid], after[cid]["framings"][fid]
            if b["robust_impact"] == a["robust_impact"]:
                continue
            rows.append(
                {
                    "control": cid,
                    "version": versions[cid],
                    "framing": fid,
                    "robust_impact": b["robust_impact"],
                    "robust_impact_after": a["robust_impact"],
                    "robust_label": b["robust_label"],
                    "robust_label_after": a["robust_label"],
                }
            )
    return rows
