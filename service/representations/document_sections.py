"""A resource body as Doc blocks (document.py), by kind: what the wiki formats show of it.

The same facts as the Markdown sections (markdown_sections.py), as data rather than text, so
wikitext and Confluence escape each value their own way.
"""

from schemas.chip import NUMERIC_FIELDS
from service.representations.document import (
    Block,
    Link,
    Para,
    Strong,
    bullets,
    labelled,
    line,
    section,
    table,
    text,
)
from service.representations.presentation import signal_words


def source_line(source: dict):
    return line(
        Link(source.get("title", ""), source.get("url")),
        ", ",
        source.get("publisher"),
        ", ",
        source.get("date"),
    )


def common(body: dict) -> tuple[Block, ...]:
    """Quotes and sources, which every kind may carry."""
    quotes = [line(f"“{q['text']}” — {q['speaker']}") for q in body.get("quotes", [])]
    return (
        *section("Quotes", bullets(quotes)),
        *section("Sources", bullets(source_line(s) for s in body.get("sources", []))),
    )


def framing(body: dict) -> tuple[Block, ...]:
    rests = [
        line(Strong(a["assumption"]), f" {'holds' if a['holds'] else 'does not hold'}: {a['why']}")
        for a in body.get("assumptions", [])
    ]
    criteria = [[c["id"], c["label"], c["weight"]] for c in body.get("criteria", [])]
    return (
        Para(labelled("Premise.", body.get("premise"))),
        Para(labelled("Prescription.", body.get("prescription"))),
        Para(labelled("Objective.", body.get("objective"))),
        *section("Proponents", bullets(line(p) for p in body.get("proponents", []))),
        *section("Rests on", bullets(rests)),
        *section("Criteria", table(("id", "criterion", "weight"), criteria)),
    )


def assumption(body: dict) -> tuple[Block, ...]:
    a = body.get("assessment") or {}
    evidence = [
        [
            e.get("date"),
            e.get("direction"),
            e.get("summary"),
            source_line(e["source"]) if e.get("source") else "",
        ]
        for e in body.get("evidence", [])
    ]
    underpins = [
        line(Strong(u["framing"]), f" ({u['polarity']}): {u['why']}")
        for u in body.get("underpins", [])
    ]
    return (
        Para(labelled("Statement.", body.get("statement"))),
        Para(labelled("Reading.", body.get("reading"))),
        *section(
            "Assessment",
            Para(
                line(
                    Strong(text(a.get("status"))),
                    f", credence {text(a.get('credence'))} (as of {text(a.get('assessed_on'))}). ",
                    a.get("rationale"),
                )
            ),
        ),
        *section("Underpins", bullets(underpins)),
        *section("Evidence", table(("date", "direction", "summary", "source"), evidence)),
        *section("Indicators to watch", bullets(line(i) for i in body.get("indicators", []))),
    )


def watchlist(body: dict) -> tuple[Block, ...]:
    updates = [[u.get("date"), u.get("summary")] for u in body.get("updates", [])]
    signals = body.get("signals") or {}
    return (
        Para(labelled("What would count:", body.get("happens_when"))),
        Para(labelled("Would signal:", f"{signal_words(body)}: {text(signals.get('why'))}")),
        Para(labelled("Assumptions:", body.get("assumptions"))),
        *section("Updates", table(("date", "update"), updates)),
        *section("Control", control_fields(body["control"]) if body.get("control") else None),
    )


def control_fields(c: dict):
    threshold = c.get("threshold") or {}
    rows = [
        ("Name", c.get("name")),
        ("Description", c.get("description") or "none given"),
        ("Direction", c.get("direction")),
        ("Instrument", c.get("instrument")),
        ("Layers", c.get("layers") or "none given"),
        ("Reach", c.get("reach") or "none given"),
        ("Targets", c.get("targets") or "derived by the scorer"),
        ("Extraterritorial", bool(c.get("extraterritorial"))),
        ("Linked to negotiations", bool(c.get("linked_to_negotiations"))),
        ("Threshold", ", ".join(f"{k} {v}" for k, v in threshold.items()) or "none given"),
        ("Chips", c.get("chips") or "none given"),
    ]
    return bullets(labelled(f"{label}:", value) for label, value in rows)


def chip(body: dict) -> tuple[Block, ...]:
    estimates = set(body.get("estimates", []))
    figures = [
        [name, body[name], "estimate" if name in estimates else "specification"]
        for name in NUMERIC_FIELDS
        if body.get(name) is not None
    ]
    return (
        Para(
            line(
                Strong(text(body.get("vendor"))),
                f", origin {text(body.get('origin'))}, "
                f"{text(body.get('status'))}; US export status: "
                f"{text(body.get('us_export_status'))}",
            )
        ),
        *section("Figures", table(("figure", "value", "source"), figures)),
        Para(line(body.get("export_note"))),
    )


def control(body: dict) -> tuple[Block, ...]:
    signs = [
        line(Strong(framing), f": {e['sign']:+d} ({e['why']})")
        for framing, e in (body.get("expected") or {}).items()
    ]
    return (
        Para(
            line(
                Strong(text(body.get("status"))),
                f" · {text(body.get('date'))} · ",
                body.get("agency"),
            )
        ),
        *section("Control", control_fields(body["control"])),
        *section("Expected reading", bullets(signs)),
    )


SECTIONS = {
    "framings": framing,
    "assumptions": assumption,
    "watchlist": watchlist,
    "chips": chip,
    "controls": control,
}


def body_blocks(kind: str, body: dict) -> tuple[Block, ...]:
    blocks = SECTIONS[kind](body) if kind in SECTIONS else ()
    return tuple(b for b in (*blocks, *common(body)) if not (isinstance(b, Para) and not b.line))
