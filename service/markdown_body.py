"""A resource body as Markdown sections, by kind; shared parts render the same everywhere."""

from schemas.chip import NUMERIC_FIELDS


def bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def source_line(source: dict) -> str:
    title = f"[{source['title']}]({source['url']})" if source.get("url") else source["title"]
    return f"{title}, {source['publisher']}, {source['date']}"


def sources(body: dict) -> str:
    return "## Sources\n\n" + bullets(source_line(s) for s in body.get("sources", []))


def quotes(body: dict) -> list[str]:
    return [f"> “{q['text']}” — {q['speaker']}" for q in body.get("quotes", [])]


def framing(body: dict) -> list[str]:
    criteria = [
        f"**{c['label']}** (`{c['id']}`, weight {c['weight']})" for c in body.get("criteria", [])
    ]
    rests = [
        f"{a['assumption']} {'holds' if a['holds'] else 'does not hold'}: {a['why']}"
        for a in body.get("assumptions", [])
    ]
    return [
        body["summary"],
        f"**Premise.** {body['premise']}",
        f"**Prescription.** {body['prescription']}",
        f"**Objective.** {body['objective']}",
        "## Proponents\n\n" + bullets(body.get("proponents", [])),
        "## Rests on\n\n" + bullets(rests),
        "## Criteria\n\n" + bullets(criteria),
    ]


def assumption(body: dict) -> list[str]:
    a = body["assessment"]
    evidence = [f"{e['date']} ({e['direction']}): {e['summary']}" for e in body.get("evidence", [])]
    return [
        f"**Statement.** {body['statement']}",
        f"**Reading.** {body['reading']}",
        f"## Assessment\n\n**{a['status']}**, credence {a['credence']} "
        f"(as of {a['assessed_on']}). {a['rationale']}",
        "## Evidence\n\n" + bullets(evidence),
        "## Indicators to watch\n\n" + bullets(body.get("indicators", [])),
    ]


def watchlist(body: dict) -> list[str]:
    updates = [f"{u['date']}: {u['summary']}" for u in body.get("updates", [])]
    facts = (
        f"**Status:** {body['status']} · **Category:** {body['category']} · "
        f"**Assumptions:** {', '.join(body['assumptions'])} · "
        f"**Last reviewed:** {body['last_reviewed']}"
    )
    return [
        body["description"],
        facts,
        f"**What would count:** {body['happens_when']}",
        f"**Would signal:** {body['signals']['framing']}: {body['signals']['why']}",
        "## Updates\n\n" + bullets(updates),
    ]


CHIP_FIGURES = NUMERIC_FIELDS


def chip(body: dict) -> list[str]:
    estimates = set(body.get("estimates", []))
    figures = [
        f"{name}: {body.get(name)}{' (estimate)' if name in estimates else ''}"
        for name in CHIP_FIGURES
        if body.get(name) is not None
    ]
    return [
        f"**{body['vendor']}**, origin {body['origin']}, {body['status']}; US export status: "
        f"{body['us_export_status']}",
        "## Figures\n\n" + bullets(figures),
        body.get("export_note") or "",
        body.get("notes") or "",
    ]


def control(body: dict) -> list[str]:
    c = body["control"]
    signs = [f"{framing}: {e['sign']:+d} ({e['why']})" for framing, e in body["expected"].items()]
    return [
        body["summary"],
        f"**{body['status']}** · {body['date']} · {body['agency']}",
        f"**Control:** {c['direction']} · {c['instrument']} · layers "
        f"{', '.join(c['layers'])} · reach {', '.join(c['reach'])}",
        "## Expected reading\n\n" + bullets(signs),
    ]


SECTIONS = {
    "framings": framing,
    "assumptions": assumption,
    "watchlist": watchlist,
    "chips": chip,
    "controls": control,
}


def body_sections(kind: str, body: dict) -> list[str]:
    """The body's sections for its kind, then quotes and sources; empty sections dropped."""
    return [part for part in [*SECTIONS[kind](body), *quotes(body), sources(body)] if part]
