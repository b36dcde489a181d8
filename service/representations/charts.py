"""Charts as SVG (pygal), and the trajectory, credence and compare answers as Markdown and CSV.

pygal draws small, clean SVG with no dependencies beyond the standard library, and its marks
carry their labels; we drop its JavaScript (tooltips would need a script from a CDN), give every
mark a `<title>` (its name on hover, read by screen readers), give the chart a `<title>` and
`<desc>`, replace its random id with a fixed one and strip its dated comment, so the same data
always gives the same bytes (and the same ETag). Colours are chosen to read on light and dark
wiki themes alike, and the text follows `prefers-color-scheme` inside the SVG.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pygal
from pygal.style import Style

from service.representations.formats import renderer
from service.representations.markdown import table
from service.representations.markdown_text import md
from service.representations.presentation import compare_table
from service.scoring.words import word

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
# Mid-tone colours with enough contrast on white and on near-black backgrounds.
PALETTE = ("#2f7fd8", "#d9542b", "#2e9d5b", "#a05cc9", "#c99a12", "#d14d91")
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#6b7280",
    foreground_strong="#6b7280",
    foreground_subtle="#9ca3af",
    opacity="0.9",
    opacity_hover="1",
    colors=PALETTE,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
)
THEMES = (
    "inline:text{fill:#374151}"
    "@media (prefers-color-scheme: dark){text{fill:#e5e7eb}}"
    ".guide.line{stroke-opacity:.35}"
)
CHART_ID = "framings-chart"


def parse_day(day: str) -> date:
    """A YYYY-MM-DD, YYYY-MM or YYYY date, drawn on the first day of its period."""
    parts = [int(p) for p in day.split("-")] + [1, 1]
    return date(*parts[:3])


def config(title: str, **extra) -> dict:
    return {
        "js": [],
        "css": ["file://base.css", "file://style.css", "file://graph.css", THEMES],
        "no_prefix": True,
        "style": STYLE,
        "width": 800,
        "height": 420,
        "title": title,
        "disable_xml_declaration": True,
        "explicit_size": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "x_value_formatter": lambda d: d.isoformat(),
        # Dates are long labels: tilted, and only the major ones, so they never overlap.
        "x_label_rotation": 30,
        "show_minor_x_labels": False,
        "x_labels_major_count": 8,
        **extra,
    }


def finish(svg: str, title: str, desc: str) -> str:
    """pygal's SVG made deterministic and accessible (see tidy), as text."""
    return serialise(tidy(svg, title, desc))


def tidy(svg: str, title: str, desc: str) -> ET.Element:
    """pygal's SVG made accessible: a fixed id, no script, a <title> and <desc> for the chart
    and a <title> for each mark."""
    root = ET.fromstring(svg)
    root.set("id", CHART_ID)
    root.set("role", "img")
    root.set("aria-labelledby", f"{CHART_ID}-title {CHART_ID}-desc")
    q = f"{{{SVG_NS}}}"
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{q}script" or "tooltip-overlay" in child.get("class", ""):
                parent.remove(child)
    for dots in root.iter(f"{q}g"):
        if dots.get("class") != "dots":
            continue
        texts = {d.get("class", "").strip(): d.text for d in dots.findall(f"{q}desc")}
        mark = next((c for c in dots if c.tag != f"{q}desc"), None)
        if mark is not None:
            label, value = texts.get("label"), texts.get("value")
            ET.SubElement(mark, f"{q}title").text = label or value or ""
        for d in dots.findall(f"{q}desc"):
            if d.get("class", "").strip() in ("x", "y"):
                dots.remove(d)
    head_title = ET.Element(f"{q}title", {"id": f"{CHART_ID}-title"})
    head_title.text = title
    head_desc = ET.Element(f"{q}desc", {"id": f"{CHART_ID}-desc"})
    head_desc.text = desc
    root.insert(0, head_desc)
    root.insert(0, head_title)
    return root


def serialise(root: ET.Element) -> str:
    """The SVG's text, with pygal's random id replaced by a fixed one (same data, same bytes)."""
    text = ET.tostring(root, encoding="unicode")
    return re.sub(r"chart-[0-9a-f-]{36}", CHART_ID, text)


# --- an assumption's credence ---


def credence_desc(data: dict) -> str:
    return (
        f"Credence in assumption {data['id']} over time (a step each time it was reassessed), "
        f"with {len(data['evidence'])} dated evidence items (supports or undermines) and "
        f"{len(data['statuses'])} status changes. Hover a mark for its date and version."
    )


def credence_svg(data: dict) -> str:
    title = f"Credence in assumption {data['id']} over time"
    chart = pygal.DateLine(**config(title, range=(0, 1), dots_size=4, y_title="credence"))
    steps, line = data["steps"], []
    for i, step in enumerate(steps):
        day = parse_day(step["date"])
        if i:
            line.append({"value": (day, steps[i - 1]["credence"]), "label": f"until {day}"})
        line.append(
            {
                "value": (day, step["credence"]),
                "label": f"{step['date']}: credence {step['credence']:g} ({step['url']})",
            }
        )
    last = max(
        [step["date"] for step in steps]
        + [e["date"] for e in data["evidence"] if e["date"]]
        + [s["date"] for s in data["statuses"]],
        default=None,
    )
    if steps and last and parse_day(last) > parse_day(steps[-1]["date"]):
        # The credence holds until the last dated mark, so the step reaches every mark.
        line.append(
            {"value": (parse_day(last), steps[-1]["credence"]), "label": f"still on {last}"}
        )
    chart.add("credence", line, show_dots=True)
    for direction in ("undermines", "supports"):  # undermining in orange, support in green
        marks = [
            {
                "value": (parse_day(e["date"]), _credence_on(steps, e["date"])),
                "label": f"{e['date']}: {direction}: {e['summary']} ({e['url']})",
            }
            for e in data["evidence"]
            if e["direction"] == direction and e["date"]
        ]
        chart.add(f"evidence that {direction}", marks, stroke=False, dots_size=6)
    chart.add(
        "status change",
        [
            {
                "value": (parse_day(s["date"]), _credence_on(steps, s["date"])),
                "label": f"{s['date']}: status {word(s['status'])} ({s['url']})",
            }
            for s in data["statuses"]
        ],
        stroke=False,
        dots_size=8,
    )
    return finish(chart.render(is_unicode=True), title, credence_desc(data))


def _credence_on(steps: list, day: str) -> float | None:
    value = steps[0]["credence"] if steps else None
    for step in steps:
        if step["date"] <= day:  # a partial date sorts before the days of its period
            value = step["credence"]
    return value


@renderer("credence", "md")
def credence_md(data: dict, context: dict) -> str:
    rows = [[s["date"], "credence", f"{s['credence']:g}", s["url"]] for s in data["steps"]]
    rows += [[e["date"], e["direction"], e["summary"], e["url"]] for e in data["evidence"]]
    rows += [[s["date"], "status", word(s["status"]), s["url"]] for s in data["statuses"]]
    rows.sort(key=lambda r: r[0] or "")
    return (
        f"# Credence in assumption {md(data['id'])}\n\n{md(credence_desc(data))}\n\n"
        + table(["date", "what", "value", "version"], rows)
        + "\n"
    )


# --- compare ---


@renderer("compare", "md")
def compare_md(data: dict, context: dict) -> str:
    headers, rows = compare_table(data)
    verdicts = "\n".join(
        f"- {md(a['control']['name'])}: {md(a['verdict']['summary'])}" for a in data["results"]
    )
    return (
        "# Compared controls\n\n"
        + table(headers, rows)
        + "\n\n(#n: rank among these controls under that framing, highest first.)\n\n"
        + verdicts
        + "\n"
    )
