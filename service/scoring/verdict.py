"""The verdict of DESIGN section 3: which framing a control fits, said as a policy reader would.

It says when both framings oppose (or both favour) a control, never lets a framing with no
applicable criterion "fit better", names the load-bearing assumptions when doubt in them changes
a framing's label, and mentions what-if credences. Pure: no Flask, no database, no clock.
"""

from collections.abc import Mapping

from service.scoring.arithmetic import rounded
from service.scoring.words import capitalised, framing_name, listing, word

FAVOURS = frozenset({"aligned", "strongly_aligned"})
OPPOSES = frozenset({"opposed", "strongly_opposed"})
STANCE = {
    "strongly_aligned": "strongly favours",
    "aligned": "favours",
    "neutral": "is neutral on",
    "opposed": "opposes",
    "strongly_opposed": "strongly opposes",
}


def _said(result: dict) -> str:
    """'strongly opposed, impact -0.62: central, large effect, firm'."""
    return (
        f"{word(result['label'])}, impact {result['impact']:+.2f}: {result['centrality']}, "
        f"{result['effect']} effect, {result['certainty']}"
    )


def _compare(name: str, top: tuple, runner: tuple) -> tuple[str | None, str]:
    """(favoured framing or None, the sentence comparing two applicable framings)."""
    (t, first), (r, second) = top, runner
    margin, T, R = first["impact"] - second["impact"], framing_name(t), framing_name(r)
    both = {first["label"], second["label"]}
    if both <= FAVOURS:
        if margin == 0:
            return None, f"Both framings favour {name} equally ({_said(first)} under each)."
        return t, (
            f"Both framings favour {name}: {T} ({_said(first)}) more than {R} ({_said(second)})."
        )
    if both <= OPPOSES:
        if margin == 0:
            return None, f"Both framings oppose {name} equally ({_said(first)} under each)."
        return None, (
            f"Both framings oppose {name}: {R} ({_said(second)}) more strongly than "
            f"{T} ({_said(first)}), so neither favours it."
        )
    if margin == 0:
        return None, (
            f"{capitalised(T)} and {R} take the same position on {name}: "
            f"{word(first['label'])} (impact {first['impact']:+.2f} under each)."
        )
    if first["label"] not in FAVOURS:  # neutral against opposed: no framing favours it
        return None, (
            f"{capitalised(R)} {STANCE[second['label']]} {name} ({_said(second)}); "
            f"{T} takes no side ({_said(first)})."
        )
    return t, (
        f"{capitalised(T)} {STANCE[first['label']]} {name} ({_said(first)}), while {R} "
        f"{STANCE[second['label']]} it ({_said(second)}), so it fits {T} better."
    )


def _alone(name: str, fid: str, result: dict, others: list[str]) -> tuple[str | None, str]:
    favoured = fid if result["label"] in FAVOURS else None
    return favoured, (
        f"{capitalised(framing_name(fid))} {STANCE[result['label']]} {name} ({_said(result)}); "
        f"{listing([framing_name(o) for o in others], 'and')} "
        f"{'has' if len(others) == 1 else 'have'} no criterion that applies to it, "
        "so the framings cannot be compared on it."
    )


def _load_bearing(result: dict) -> str:
    """The assumptions that move the robust alignment most, with the polarity relied on."""
    rows = [row for row in result["sensitivity"] if row["delta"]]
    top = abs(rows[0]["delta"]) if rows else 0
    named = [row for row in rows if abs(row["delta"]) >= top / 2][:3]
    needs_failing = {
        r["assumption"]
        for c in result["criteria"]
        if c["applicable"]
        for r in c["relies_on"]
        if not r["holds"]
    }
    return listing(
        [
            f"{row['assumption']} ("
            f"{'relied on to fail; ' if row['assumption'] in needs_failing else ''}"
            f"credence {row['credence']})"
            for row in named
        ],
        "and",
    )


def _doubt(fid: str, result: dict) -> str:
    """A sentence when doubt in the assumptions changes the framing's label, else ''.

    A robust figure of the other sign is said as a reversal, never as what survives."""
    if result["label"] == "not_applicable" or result["robust_label"] == result["label"]:
        return ""
    resting = _load_bearing(result)
    rests = f"; it rests on {resting}" if resting else ""
    if result["robust_impact"] * result["impact"] < 0:
        return (
            f" Weighed by the credence of its assumptions, {framing_name(fid)}'s reading turns "
            f"to the other side ({word(result['robust_label'])}, robust impact "
            f"{result['robust_impact']:+.2f}){rests}, so the reading is uncertain (range "
            f"{result['impact_range']['low']:+.2f} to {result['impact_range']['high']:+.2f})."
        )
    return (
        f" Weighed by the credence of its assumptions, {framing_name(fid)}'s reading is "
        f"{word(result['robust_label'])} (robust impact {result['robust_impact']:+.2f}){rests}."
    )


def _what_if(overrides: Mapping) -> str:
    if not overrides:
        return ""
    said = ", ".join(f"{aid} = {value}" for aid, value in sorted(overrides.items()))
    return f" These figures use what-if credences for this request only: {said}."


def _china(name: str, countermeasure: dict | None) -> str:
    rows = (countermeasure or {}).get("bears_on") or []
    said = "; and ".join(
        f"it {row['direction']} {row['assumption']}"
        + (f", “{row['title']}”" if row.get("title") else "")
        for row in rows
    )
    evidence = f" As evidence, {said}." if rows else " No assumption's rule reads it as evidence."
    return (
        f"{capitalised(name)}: a measure China imposes. The framings prescribe US policy, so "
        f"neither favours nor opposes it.{evidence}"
    )


def verdict(
    name: str,
    results: dict,
    overrides: Mapping | None = None,
    china: bool = False,
    countermeasure: dict | None = None,
) -> dict:
    """`{"favoured", "margin", "summary"}`; margin is top impact minus the runner-up's."""
    ranked = sorted(results.items(), key=lambda item: (-item[1]["impact"], item[0]))
    if china:
        return {"favoured": None, "margin": 0.0, "summary": _china(name, countermeasure)}
    if len(ranked) < 2:
        return {
            "favoured": None,
            "margin": 0.0,
            "summary": f"The model held {'no framing' if not ranked else 'only one framing'} at "
            "that point, so there is nothing to compare.",
        }
    applicable = [(f, r) for f, r in ranked if r["label"] != "not_applicable"]
    if not applicable:
        favoured, sentence = (
            None,
            (
                f"Neither framing has a criterion that applies to {name}, so the model takes no "
                "position on it."
            ),
        )
    elif len(applicable) == 1:
        others = [f for f, r in ranked if r["label"] == "not_applicable"]
        favoured, sentence = _alone(name, *applicable[0], others)
    else:
        favoured, sentence = _compare(name, applicable[0], applicable[1])
    margin = rounded(ranked[0][1]["impact"] - ranked[1][1]["impact"])
    doubts = "".join(_doubt(f, r) for f, r in applicable)
    return {
        "favoured": favoured,
        "margin": margin,
        "summary": sentence + doubts + _what_if(overrides or {}),
    }


def _case(fid: str, label: str) -> str:
    stance = (
        "case for" if label in FAVOURS else "case against" if label in OPPOSES else "reading of"
    )
    return f"{capitalised(framing_name(fid))}'s {stance} this control"


def _tip(assumption: str, side: str, tip: dict, then: str) -> str:
    """'a4 falls below 0.31 (then neutral)'; the assumption is named on the first side only."""
    moves = "falls below" if side == "below" else "rises above"
    return f"{assumption + ' ' if assumption else ''}{moves} {tip['credence']:g} ({then})"


def _sides(assumption: str, tips: dict, then) -> list[str]:
    said = []
    for side in ("below", "above"):
        if tips.get(side):
            said.append(_tip("" if said else assumption, side, tips[side], then(tips[side])))
    return said


def tipping_sentences(fid: str, result: dict) -> list[str]:
    """What would change this framing's verdict, in numbers: one sentence per assumption,
    e.g. "The sliding scale's case for this control stays 'aligned' unless a4 falls below 0.31
    (then neutral)", and one per assumption whose credence would reorder the framings."""
    label, out = result["robust_label"], []
    for row in result["sensitivity"]:
        a, tips = row["assumption"], row.get("tipping") or {}
        if row["credence"] is None:
            continue
        said = _sides(a, tips, lambda tip: f"then {word(tip['label'])}")
        head = f"{_case(fid, label)} stays '{word(label)}'"
        out.append(
            f"{head} unless {' or '.join(said)}."
            if said
            else f"{head} whatever the credence of {a} (now {row['credence']:g})."
        )
        flips = row.get("ranking_flip") or {}
        moves = _sides(
            a, flips, lambda tip: "then " + " ahead of ".join(map(framing_name, tip["ranking"]))
        )
        if moves:
            out.append(f"The robust ranking of the framings flips if {' or '.join(moves)}.")
    return out
