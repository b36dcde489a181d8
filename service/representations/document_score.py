"""A score (and a batch, and a comparison) as a Doc: the verdict, each framing's criteria as a
sortable table, and the provenance (scorer and model versions) that makes it reproducible."""

from service.representations.citation import absolute
from service.representations.document import (
    Cite,
    Doc,
    Heading,
    Para,
    Strong,
    bullets,
    labelled,
    line,
    table,
    text,
)
from service.representations.presentation import compare_table
from service.scoring.words import word


def signed(value) -> str:
    return "—" if value is None else f"{value:+.2f}"


def degree_said(result: dict) -> str:
    """'Impact +0.42 (range +0.30 to +0.50): central, large effect, firm.'"""
    span = result.get("impact_range") or {}
    words = [result.get("centrality"), result.get("effect"), result.get("certainty")]
    if words[1]:
        words[1] = f"{words[1]} effect"
    return (
        f"Impact {signed(result.get('impact'))} (range {signed(span.get('low'))} to "
        f"{signed(span.get('high'))}): {', '.join(word(w) for w in words if w)}."
    )


def framing_blocks(framing_id: str, result: dict) -> tuple:
    rows = [
        [
            c["label"],
            c["weight"],
            "yes" if c["applicable"] else "no",
            c["value"],
            c["contribution"],
            c["rationale"],
        ]
        for c in result.get("criteria", [])
    ]
    sensitivity = ", ".join(
        f"{s['assumption']} {s['delta']:+}" for s in result.get("sensitivity", [])
    )
    return (
        Heading(
            f"{framing_id} (version {result.get('version')}): {word(result['label'])}, "
            f"impact {signed(result.get('impact'))}"
        ),
        Para(line(degree_said(result))),
        Para(
            line(
                f"Robust impact {signed(result.get('robust_impact'))} "
                f"({word(result.get('robust_label', ''))}); alignment "
                f"{signed(result.get('alignment'))}, robust alignment "
                f"{signed(result.get('robust_alignment'))}. "
                f"Load-bearing assumptions: {sensitivity or 'none'}."
            )
        ),
        table(("criterion", "weight", "applies", "value", "contribution", "why"), rows),
    )


def provenance(answer: dict) -> str:
    model = answer.get("model") or {}
    versions = ", ".join(
        f"{kind.rstrip('s')} {name} v{v}"
        for kind in ("framings", "assumptions")
        for name, v in (model.get(kind) or {}).items()
    )
    point = model.get("as_of") or (
        f"release {model['release']}" if model.get("release") else "latest"
    )
    what_if = ", ".join(f"{a} = {v}" for a, v in sorted((model.get("what_if") or {}).items()))
    return (
        f"Scored by Framings scorer {text(model.get('scorer'))} against the model at {point}: "
        f"{versions}."
        + (f" What-if credences: {what_if}." if what_if else "")
        + f" Input {text(answer.get('input_hash'))}."
    )


def score_blocks(answer: dict) -> tuple:
    derived = answer.get("derived") or {}
    classification = derived.get("classification") or {}
    targets = derived.get("targets") or {}
    return (
        Para(
            labelled(
                "Classification:",
                f"{text(classification.get('value'))}: "
                f"{' '.join(classification.get('reasons', []))}",
            )
        ),
        Para(labelled("Bites on:", text(targets.get("value")) or "nobody the scorer could name")),
        *[b for fid, result in answer["framings"].items() for b in framing_blocks(fid, result)],
        Para(line(provenance(answer))),
    )


def score_cite(answer: dict) -> Cite | None:
    """A stored control's score cites the version scored; a posted control has no address."""
    source = answer.get("source")
    if not source or not source.get("url"):
        return None
    what = (
        f"Framings score of {source['kind']}/{source['id']} version {source['version']}, "
        f"scorer {text((answer.get('model') or {}).get('scorer'))}."
    )
    return Cite(what, absolute(source["url"]))


def score_doc(answer: dict, context: dict) -> Doc:
    model = answer.get("model") or {}
    facts = (
        ("kind", "score"),
        ("scorer", text(model.get("scorer"))),
        ("favoured", text((answer.get("verdict") or {}).get("favoured"))),
    )
    return Doc(
        f"Score: {answer['control']['name']}",
        score_blocks(answer),
        tuple((k, v) for k, v in facts if v),
        line((answer.get("verdict") or {}).get("summary")),
        score_cite(answer),
    )


def batch_doc(data: dict, context: dict) -> Doc:
    blocks = []
    for key, result in data["results"].items():
        if "framings" in result:
            blocks += [
                Heading(f"{key}: {result['control']['name']}", 1),
                Para(line(result["verdict"]["summary"])),
                *score_blocks(result),
            ]
        else:
            blocks += [
                Heading(f"{key}: {result.get('title')}", 1),
                Para(line(result.get("detail"))),
            ]
    return Doc("Scores", tuple(blocks))


def compare_doc(data: dict, context: dict) -> Doc:
    headers, rows = compare_table(data)
    verdicts = bullets(
        line(Strong(a["control"]["name"]), ": ", a["verdict"]["summary"]) for a in data["results"]
    )
    lead = line("#n: rank among these controls under that framing, highest first.")
    return Doc("Compared controls", (table(headers, rows), verdicts), lead=lead)


DOCS = {"score": score_doc, "batch": batch_doc, "compare": compare_doc}
