"""A score as Markdown: the verdict, each framing's criteria as a table, and the provenance."""

from service.representations.formats import renderer
from service.representations.markdown import table
from service.representations.markdown_text import md
from service.scoring.verdict import tipping_sentences
from service.scoring.words import capitalised, framing_name, listing, word

CENTRALITY = {
    "central": "central to its agenda",
    "secondary": "secondary to its agenda",
    "peripheral": "peripheral to its agenda",
    "not_engaged": "outside its agenda",
}


def signed(value: float) -> str:
    return f"{value:+.2f}"


def degree_line(result: dict) -> str:
    """Impact, its range and its words first; the credence-weighted and scorer-2 figures after."""
    low, high = result["impact_range"]["low"], result["impact_range"]["high"]
    words = [
        CENTRALITY.get(result["centrality"], word(result["centrality"])),
        f"{word(result['effect'])} effect",
        word(result["certainty"]),
    ]
    return (
        f"**Impact {signed(result['impact'])}** ({md(word(result['label']))}; range "
        f"{signed(low)} to {signed(high)}): {md(', '.join(words))}.\n\n"
        f"Robust impact {signed(result['robust_impact'])} ({md(word(result['robust_label']))}); "
        f"alignment {signed(result['alignment'])}, robust alignment "
        f"{signed(result['robust_alignment'])}; score {result['score']}."
    )


def factor_rows(result: dict) -> list[list]:
    rows = []
    for f in result.get("impact_factors", []):
        named = f["inputs"].get(f["factor"])
        what = word(f["factor"]) + (f" ({word(named)})" if isinstance(named, str) else "")
        rows.append([what, f"{f['value']:.2f}", f["reason"]])
    return rows


def framing_section(framing_id: str, result: dict, china: bool = False) -> str:
    """One framing's reading: impact first, then why this size, the assumptions and criteria.
    A measure of China's (`china`) gets one line: it is read as evidence, not by the criteria."""
    rows = [
        [
            c["label"],
            c["weight"],
            "yes" if c["applicable"] else "no",
            c["value"],
            c["contribution"],
            c["rationale"],
        ]
        for c in result["criteria"]
    ]
    sensitivity = ", ".join(f"{s['assumption']} {s['delta']:+}" for s in result["sensitivity"])
    head = f"## {md(capitalised(framing_name(framing_id)))} (version {result['version']}): "
    if china:
        return f"{head}not applicable\n\nA measure China imposes: read as evidence above."
    if result["label"] == "not_applicable":
        return f"{head}not applicable\n\nNo criterion of this framing applies to it.\n\n" + table(
            ["criterion", "weight", "applies", "value", "contribution", "why"], rows
        )
    factors = factor_rows(result)
    return (
        f"{head}{md(word(result['label']))}, impact {signed(result['impact'])}\n\n"
        + degree_line(result)
        + "\n\n"
        + (
            "Why this size (impact is the direction times each factor):\n\n"
            + table(["factor", "value", "why"], factors)
            + "\n\n"
            if factors
            else ""
        )
        + f"Load-bearing assumptions: {md(sensitivity or 'none')}.\n\n"
        + "".join(f"- {md(sentence)}\n" for sentence in tipping_sentences(framing_id, result))
        + ("\n" if result["sensitivity"] else "")
        + table(["criterion", "weight", "applies", "value", "contribution", "why"], rows)
    )


def countermeasure_section(cm: dict) -> str:
    """A measure of China's: the assumptions it is evidence on and what that does to stored ones."""
    bears = "".join(
        f"- {md(b['assumption'])} ({md(b['direction'])}): {md(b['reason'])}\n"
        for b in cm["bears_on"]
    )
    kind = cm["classification"]
    parts = [
        "## A measure China imposes: evidence, not a policy choice",
        "It is evidence on the assumptions the framings rest on:\n\n"
        + (bears or "- no assumption the model holds").rstrip("\n"),
        f"**Classification:** {md(word(kind['value']))}: {md(' '.join(kind['reasons']))}",
    ]
    if cm.get("what_if"):
        moved = ", ".join(f"{a} at {c:g}" for a, c in cm["what_if"].items())
        rows = [
            [
                e["control"],
                framing_name(e["framing"]),
                f"{signed(e['robust_impact'])} {word(e['robust_label'])}",
                f"{signed(e['robust_impact_after'])} {word(e['robust_label_after'])}",
            ]
            for e in cm["effects"]
        ]
        parts.append(
            f"With {md(moved)} (one step the way it points): "
            + (
                "\n\n" + table(["control", "framing", "robust impact now", "then"], rows)
                if rows
                else "no stored US measure's robust impact changes."
            )
        )
    return "\n\n".join(parts)


def provenance(answer: dict) -> str:
    model = answer["model"]
    versions = ", ".join(
        f"{kind[:-1] if kind.endswith('s') else kind} {name} v{v}"
        for kind in ("framings", "assumptions")
        for name, v in model[kind].items()
    )
    point = model["as_of"] or (f"release {model['release']}" if model["release"] else "latest")
    what_if = ", ".join(f"{a} = {v}" for a, v in sorted(model.get("what_if", {}).items()))
    return (
        f"> Scored by Framings scorer {md(model['scorer'])} against the model at {md(point)}: "
        f"{md(versions)}."
        + (f" What-if credences: {md(what_if)}." if what_if else "")
        + f" Input {md(answer['input_hash'])}."
    )


def targets_line(targets: dict) -> str:
    """Whom the control bites on, and whether the scorer derived it."""
    said = listing(targets["value"], "and") or "nobody the scorer could name"
    how = "derived: " + " ".join(targets["reasons"]) if targets["derived"] else "named"
    return f"**Bites on:** {md(said)} ({md(how)})"


@renderer("score", "md")
def score_md(answer: dict, context: dict) -> str:
    """The whole explanation, in the order a reader needs it."""
    control = answer["control"]
    derived = answer["derived"]["classification"]
    parts = [
        f"# Score: {md(control['name'])}",
        md(answer["verdict"]["summary"]),
        *(
            [countermeasure_section(answer["countermeasure"])]
            if "countermeasure" in answer
            else [f"**Classification:** {md(derived['value'])}: {md(' '.join(derived['reasons']))}"]
        ),
        targets_line(answer["derived"]["targets"]),
        *[
            framing_section(fid, result, "countermeasure" in answer)
            for fid, result in answer["framings"].items()
        ],
        provenance(answer),
    ]
    return "\n\n".join(parts) + "\n"


@renderer("batch", "md")
def batch_md(data: dict, context: dict) -> str:
    parts = []
    for key, result in data["results"].items():
        if "framings" in result:
            parts.append(score_md(result, context).replace("# Score:", f"# {md(key)}:", 1))
        else:
            parts.append(f"# {md(key)}: {md(result['title'])}\n\n{md(result['detail'])}")
            # Each offending field and its messages, as the JSON's `errors` has them.
            fields = result.get("errors") or {}
            lines = [f"- {md(f)}: {md(m)}" for f, messages in fields.items() for m in messages]
            if lines:
                parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
