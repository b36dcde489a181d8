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

from service.representations.csv import to_csv
from service.representations.formats import renderer
from service.representations.markdown import table
from service.representations.markdown_text import md
from service.scoring.words import framing_name, word

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


def _parse(day: str) -> date:
    """A YYYY-MM-DD, YYYY-MM or YYYY date, drawn on the first day of its period."""
    parts = [int(p) for p in day.split("-")] + [1, 1]
    return date(*parts[:3])


def _config(title: str, **extra) -> dict:
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
    """pygal's SVG made deterministic and accessible: a fixed id, no comments or script, a
    <title> and <desc> for the chart and a <title> for each mark."""
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
    text = ET.tostring(root, encoding="unicode")
    return re.sub(r"chart-[0-9a-f-]{36}", CHART_ID, text)


# --- the trajectory ---


def trajectory_desc(data: dict) -> str:
    point = data["as_of"] or (f"release {data['release']}" if data["release"] else "now")
    return (
        f"{len(data['items'])} stored controls by date (x) and their alignment with each framing "
        f"(y, from -1 opposed to +1 aligned) as the model stands {point}. Hover a mark for the "
        "control, its date and the alignment."
    )


def trajectory_svg(data: dict) -> str:
    title = "The trajectory of US chip controls under each framing"
    chart = pygal.DateLine(
        **_config(title, stroke=False, range=(-1, 1), dots_size=5, y_title="alignment")
    )
    for fid in data["framings"]:
        points = [
            {
                "value": (_parse(item["plotted_on"]), item["now"][fid]["alignment"]),
                "label": f"{item['name']} ({item['date']}): {framing_name(fid)} "
                f"{item['now'][fid]['alignment']:+.2f}, {word(item['now'][fid]['label'])}",
            }
            for item in data["items"]
            if fid in item["now"]
        ]
        chart.add(framing_name(fid), points)
    return finish(chart.render(is_unicode=True), title, trajectory_desc(data))


def _trajectory_rows(data: dict) -> list[dict]:
    rows = []
    for item in data["items"]:
        row = {k: item[k] for k in ("date", "id", "name", "status", "instrument", "url")}
        row["targets"] = " ".join(item["targets"])
        row["scored_as_of"] = item["scored_as_of"]
        for when in ("then", "now"):
            for fid, f in item[when].items():
                for key in ("alignment", "robust_alignment", "label", "robust_label"):
                    row[f"{fid}_{when}_{key}"] = f[key]
        rows.append(row)
    return rows


@renderer("trajectory", "csv")
def trajectory_csv(data: dict, context: dict) -> str:
    headers = ["date", "id", "name", "status", "instrument", "targets", "url", "scored_as_of"]
    headers += [
        f"{fid}_{when}_{key}"
        for fid in data["framings"]
        for when in ("then", "now")
        for key in ("alignment", "robust_alignment", "label", "robust_label")
    ]
    return to_csv(headers, _trajectory_rows(data))


def _said(f: dict | None) -> str:
    if f is None:
        return "—"
    return f"{f['alignment']:+.2f} {word(f['label'])} (robust {f['robust_alignment']:+.2f})"


@renderer("trajectory", "md")
def trajectory_md(data: dict, context: dict) -> str:
    headers = ["date", "control", "status"]
    for fid in data["framings"]:
        headers += [f"{framing_name(fid)} on its date", f"{framing_name(fid)} now"]
    rows = []
    for item in data["items"]:
        row = [item["date"], item["name"], word(item["status"])]
        for fid in data["framings"]:
            row += [_said(item["then"].get(fid)), _said(item["now"].get(fid))]
        rows.append(row)
    return (
        "# The trajectory of US chip controls\n\n"
        + md(trajectory_desc(data))
        + "\n\n"
        + table(headers, rows)
        + "\n"
    )


# --- an assumption's credence ---


def credence_desc(data: dict) -> str:
    return (
        f"Credence in assumption {data['id']} over time (a step each time it was reassessed), "
        f"with {len(data['evidence'])} dated evidence items (supports or undermines) and "
        f"{len(data['statuses'])} status changes. Hover a mark for its date and version."
    )


def credence_svg(data: dict) -> str:
    title = f"Credence in assumption {data['id']} over time"
    chart = pygal.DateLine(**_config(title, range=(0, 1), dots_size=4, y_title="credence"))
    steps, line = data["steps"], []
    for i, step in enumerate(steps):
        day = _parse(step["date"])
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
    if steps and last and _parse(last) > _parse(steps[-1]["date"]):
        # The credence holds until the last dated mark, so the step reaches every mark.
        line.append({"value": (_parse(last), steps[-1]["credence"]), "label": f"still on {last}"})
    chart.add("credence", line, show_dots=True)
    for direction in ("undermines", "supports"):  # undermining in orange, support in green
        marks = [
            {
                "value": (_parse(e["date"]), _credence_on(steps, e["date"])),
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
                "value": (_parse(s["date"]), _credence_on(steps, s["date"])),
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
    framings = list(data["rankings"])
    ranks = {
        (fid, key, entry["index"]): n + 1
        for fid, ranking in data["rankings"].items()
        for key, entries in ranking.items()
        for n, entry in enumerate(entries)
    }
    headers = ["control"] + [
        f"{framing_name(fid)} {what}" for fid in framings for what in ("alignment", "robust")
    ]
    rows = []
    for i, answer in enumerate(data["results"]):
        row = [answer["control"]["name"]]
        for fid in framings:
            f = answer["framings"].get(fid)
            for key, label in (("alignment", "label"), ("robust_alignment", "robust_label")):
                row.append(
                    "—"
                    if f is None
                    else f"{f[key]:+.2f} {word(f[label])} (#{ranks[(fid, key, i)]})"
                )
        rows.append(row)
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
