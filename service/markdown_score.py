"""A score as Markdown: the verdict, each framing's criteria as a table, and the provenance."""

from service.markdown import table
from service.representations import renderer


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
        f"## {framing_id} (version {result['version']}): {result['label']}, score "
        f"{result['score']}\n\nAlignment {result['alignment']}, robust alignment "
        f"{result['robust_alignment']}. Load-bearing assumptions: {sensitivity or 'none'}.\n\n"
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
    return (
        f"> Scored by Framings scorer {model['scorer']} against the model at {point}: "
        f"{versions}. Input {answer['input_hash']}."
    )


@renderer("score", "md")
def score_md(answer: dict, context: dict) -> str:
    """The whole explanation, in the order a reader needs it."""
    control = answer["control"]
    derived = answer["derived"]["classification"]
    parts = [
        f"# Score: {control['name']}",
        answer["verdict"]["summary"],
        f"**Classification:** {derived['value']}: {' '.join(derived['reasons'])}",
        *[framing_section(fid, result) for fid, result in answer["framings"].items()],
        provenance(answer),
    ]
    return "\n\n".join(parts) + "\n"


@renderer("batch", "md")
def batch_md(data: dict, context: dict) -> str:
    parts = []
    for key, result in data["results"].items():
        if "framings" in result:
            parts.append(score_md(result, context).replace("# Score:", f"# {key}:", 1))
        else:
            parts.append(f"# {key}: {result['title']}\n\n{result['detail']}")
    return "\n\n".join(parts) + "\n"
