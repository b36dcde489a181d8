"""A resource body as Markdown sections, by kind; shared parts render the same everywhere."""

from schemas.chip import NUMERIC_FIELDS
from service.representations.markdown_text import link, md

# Every value below goes through md (or link): only the structure here is Markdown.


def bullets(items) -> str:
    """A list of lines already made of escaped text."""
    return "\n".join(f"- {item}" for item in items)


def source_line(source: dict) -> str:
    title = link(source["title"], source.get("url"))
    byline = f" by {md(source['author'])}" if source.get("author") else ""
    return f"{title}{byline}, {md(source['publisher'])}, {md(source['date'])}"


def sources(body: dict) -> str:
    return "## Sources\n\n" + bullets(source_line(s) for s in body.get("sources", []))


def quotes(body: dict) -> list[str]:
    return [f"> “{md(q['text'])}” — {md(q['speaker'])}" for q in body.get("quotes", [])]


def framing(body: dict) -> list[str]:
    criteria = [
        f"**{md(c['label'])}** ({md(c['id'])}, weight {md(c['weight'])})"
        for c in body.get("criteria", [])
    ]
    rests = [
        f"{md(a['assumption'])} {'holds' if a['holds'] else 'does not hold'}: {md(a['why'])}"
        for a in body.get("assumptions", [])
    ]
    return [
        md(body["summary"]),
        f"**Premise.** {md(body['premise'])}",
        f"**Prescription.** {md(body['prescription'])}",
        f"**Objective.** {md(body['objective'])}",
        "## Proponents\n\n" + bullets(md(p) for p in body.get("proponents", [])),
        "## Rests on\n\n" + bullets(rests),
        "## Criteria\n\n" + criteria_note(body) + bullets(criteria),
    ]


def criteria_note(body: dict) -> str:
    """Where the criteria come from, when they were written later than the version's date."""
    note = body.get("criteria_note")
    return f"*{md(note)}*\n\n" if note else ""


def assumption(body: dict) -> list[str]:
    a = body["assessment"]
    evidence = [
        f"{md(e['date'])} ({md(e['direction'])}): {md(e['summary'])}"
        for e in body.get("evidence", [])
    ]
    return [
        f"**Statement.** {md(body['statement'])}",
        f"**Reading.** {md(body['reading'])}",
        f"## Assessment\n\n**{md(a['status'])}**, credence {md(a['credence'])} "
        f"(as of {md(a['assessed_on'])}). {md(a['rationale'])}",
        "## Evidence\n\n" + bullets(evidence),
        "## Indicators to watch\n\n" + bullets(md(i) for i in body.get("indicators", [])),
    ]


def held_until(body: dict) -> str:
    """The day a status rests on, when it has one: after it, unknown unless a later version says."""
    until = body.get("status_until")
    return (
        f" (held until {md(until)}; unknown after it unless a later version says)" if until else ""
    )


def watchlist(body: dict) -> list[str]:
    updates = [f"{md(u['date'])}: {md(u['summary'])}" for u in body.get("updates", [])]
    facts = (
        f"**Status:** {md(body['status'])}{held_until(body)} · "
        f"**Category:** {md(body['category'])} · "
        f"**Assumptions:** {md(', '.join(body['assumptions']))} · "
        f"**Last reviewed:** {md(body['last_reviewed'])}"
    )
    return [
        md(body["description"]),
        facts,
        f"**What would count:** {md(body['happens_when'])}",
        f"**Would signal:** {signal(body['signals'])}: {md(body['signals']['why'])}",
        "## Updates\n\n" + bullets(updates),
        "## Control\n\n" + control_fields(body["control"]) if body.get("control") else "",
    ]


def signal(signals: dict) -> str:
    """The framing a watch item would signal, or transactional bargaining (no framing)."""
    if signals.get("level") == "transactional_bargaining":
        return "transactional bargaining (a different level from the clash of framings)"
    return md(signals.get("framing"))


def control_fields(c: dict) -> str:
    """Every field of a control, so a wiki page shows all that the scorer reads."""
    threshold = c.get("threshold") or {}

    def listed(name: str) -> str:
        return md(", ".join(c[name])) if c.get(name) else "none given"

    lines = [
        f"**Name:** {md(c['name'])}",
        f"**Description:** {md(c.get('description')) or 'none given'}",
        f"**Direction:** {md(c['direction'])}",
        f"**Instrument:** {md(c['instrument'])}",
        f"**Layers:** {listed('layers')}",
        f"**Reach:** {listed('reach')}",
        f"**Targets:** {listed('targets') if c.get('targets') else 'derived by the scorer'}",
        f"**Extraterritorial:** {'yes' if c.get('extraterritorial') else 'no'}",
        f"**Linked to negotiations:** {'yes' if c.get('linked_to_negotiations') else 'no'}",
        "**Threshold:** "
        + (md(", ".join(f"{k} {v}" for k, v in threshold.items())) if threshold else "none given"),
        f"**Chips:** {listed('chips')}",
    ]
    return bullets(lines)


CHIP_FIGURES = NUMERIC_FIELDS


def chip(body: dict) -> list[str]:
    estimates = set(body.get("estimates", []))
    figures = [
        f"{md(name)}: {md(body.get(name))}{' (estimate)' if name in estimates else ''}"
        for name in CHIP_FIGURES
        if body.get(name) is not None
    ]
    return [
        f"**{md(body['vendor'])}**, origin {md(body['origin'])}, {md(body['status'])}; US "
        f"export status: {md(body['us_export_status'])}",
        "## Figures\n\n" + bullets(figures),
        md(body.get("export_note")),
        md(body.get("notes")),
    ]


def control(body: dict) -> list[str]:
    c = body["control"]
    signs = [
        f"{md(framing)}: {e['sign']:+d} ({md(e['why'])})" for framing, e in body["expected"].items()
    ]
    return [
        md(body["summary"]),
        f"**{md(body['status'])}**{held_until(body)} · {md(body['date'])} · {md(body['agency'])}",
        "## Control\n\n" + control_fields(c),
        "## Expected reading\n\n" + bullets(signs),
    ]
