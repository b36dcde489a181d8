"""SVG score badges, shields-style: "framings" then "<framing> <impact> <label>" per framing."""

from xml.sax.saxutils import escape, quoteattr

from service.representations.formats import register_format

# Badges and charts (charts.py) are SVG: not a ?format= of any shape, their own routes.
register_format("svg", "image/svg+xml")

COLOURS = {
    "strongly_aligned": "#2e7d32",
    "aligned": "#5b8c1a",
    "neutral": "#6b7280",
    "opposed": "#c2410c",
    "strongly_opposed": "#b3261e",
    "not_applicable": "#9ca3af",
}
CHAR_WIDTH, PAD, HEIGHT = 6.6, 8, 20


def segment(x: float, text: str, colour: str) -> tuple[str, float]:
    """One coloured box of the badge with its centred text; returns (svg, width)."""
    width = round(len(text) * CHAR_WIDTH + 2 * PAD, 1)
    svg = (
        f'<rect x="{x}" width="{width}" height="{HEIGHT}" fill="{colour}"/>'
        f'<text x="{round(x + width / 2, 1)}" y="14">{escape(text)}</text>'
    )
    return svg, width


def said(fid: str, result: dict) -> str:
    """One framing's segment: its impact and label, e.g. 'sliding-scale +0.42 aligned'."""
    if result["label"] == "not_applicable":
        return f"{fid} not applicable"
    return f"{fid} {result['impact']:+.2f} {result['label'].replace('_', ' ')}"


def badge_svg(name: str, framings: dict) -> str:
    """A shields-style badge: "framings" then "<framing> <impact> <label>" per framing, in the
    label's colour; its title also gives each impact range."""
    parts, x = [], 0.0
    for text, colour in [("framings", "#374151")] + [
        (said(fid, f), COLOURS.get(f["label"], "#6b7280")) for fid, f in framings.items()
    ]:
        svg, width = segment(x, text, colour)
        parts.append(svg)
        x = round(x + width, 1)
    summary = " | ".join(
        f"{said(fid, f)} (range {f['impact_range']['low']:+.2f} to "
        f"{f['impact_range']['high']:+.2f})"
        for fid, f in framings.items()
    )
    title = f"{name}: {summary}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="{HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
        f'<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" fill="#fff" '
        f'text-anchor="middle">{"".join(parts)}</g></svg>'
    )
