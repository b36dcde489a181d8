"""A score as Markdown: the verdict, each framing's criteria as a table, and the provenance."""

from service.representations.formats import renderer
from service.representations.markdown import table
from service.representations.markdown_text import md
from service.scoring.verdict import tipping_sentences
from service.scoring.words import listing, word


def framing_section(framing_id: str, result: dict) -> str:
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
    return (
        f"## {md(framing_id)} (version {result['version']}): {md(word(result['label']))}, score "
        f"{md(result['score'])}\n\nAlignment {md(result['alignment'])}, robust alignment "
        f"{md(result['robust_alignment'])} ({md(word(result['robust_label']))}). "
        "Load-bearing assumptions: "
        f"{md(sensitivity or 'none')}.\n\n"
        + "".join(f"- {md(sentence)}\n" for sentence in tipping_sentences(framing_id, result))
        + ("\n" if result["sensitivity"] else "")
        + table(["criterion", "weight", "applies", "value", "contribution", "why"], rows)
    )


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
        f"**Classification:** {md(derived['value'])}: {md(' '.join(derived['reasons']))}",
        targets_line(answer["derived"]["targets"]),
        *[framing_section(fid, result) for fid, result in answer["framings"].items()],
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
