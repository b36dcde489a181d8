"""SVG score badges, shields-style: "framings" then "<framing> <score>" per framing."""

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


def badge_svg(name: str, scores: list[tuple[str, int, str]]) -> str:
    """A shields-style badge: "framings" then "<framing> <score>" per framing, by label colour."""
    parts, x = [], 0.0
    for text, colour in [("framings", "#374151")] + [
        (f"{fid} {score}", COLOURS.get(label, "#6b7280")) for fid, score, label in scores
    ]:
        svg, width = segment(x, text, colour)
        parts.append(svg)
        x = round(x + width, 1)
    summary = " | ".join(
        f"{fid} {score} ({label.replace('_', ' ')})" for fid, score, label in scores
    )
    title = f"{name}: {summary}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="{HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
        f'<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" fill="#fff" '
        f'text-anchor="middle">{"".join(parts)}</g></svg>'
    )
