"""The trajectory of stored controls: an SVG chart, a browser page, Markdown and CSV.

The chart puts each control where its date falls on a real time axis, ticked at evenly spaced
calendar dates (months, quarters, half-years or years, as the span needs), numbers each control
beside its marks and names every number in a key under the plot, so a reader (or a wiki that
embeds the SVG alone) sees which control is which without hovering. Marks keep their `<title>`.
"""

import math
import xml.etree.ElementTree as ET
from datetime import date

import pygal
from flask import render_template

from service.representations.charts import STYLE, SVG_NS, config, parse_day, serialise, tidy
from service.representations.csv import to_csv
from service.representations.formats import renderer
from service.representations.markdown import table
from service.representations.markdown_text import md
from service.scoring.words import framing_name, word

DEGREE = "impact"  # the per-framing figure plotted (y), from -1 to +1 (scorer 3)
SUMMARY = ("impact", "robust_impact", "label", "robust_label", "alignment")
TITLE = "The trajectory of US chip controls under each framing"
WIDTH, HEIGHT = 800, 420
KEY_LINE, KEY_CHARS = 15, 60  # px per key line; characters a key entry may take
STEPS = (1, 2, 3, 6, 12, 24, 60)  # months between ticks, the finest that keeps ≤ MAX_TICKS
MAX_TICKS = 10
q = f"{{{SVG_NS}}}"


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def time_axis(days: list[date]) -> tuple[list[date], int]:
    """Ticks on the first day of every `step` months (step in STEPS), from the tick at or
    before the first day to the one after the last: (ticks, step)."""
    first, last = min(days), max(days)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in STEPS if math.ceil(span / s) <= MAX_TICKS), STEPS[-1])
    start = (first.year * 12 + first.month - 1) // step * step  # months since year 0
    start = date(start // 12, start % 12 + 1, 1)
    ticks = [start]
    while ticks[-1] <= last:
        ticks.append(_month(ticks[-1], step))
    return ticks, step


def tick_label(day: date, step: int) -> str:
    """'2025' for yearly ticks, 'Jul 2025' for finer ones."""
    return str(day.year) if step % 12 == 0 else day.strftime("%b %Y")


def numbered(items: list) -> list[tuple[int, dict]]:
    """Each control with its number on the chart and in the key: 1, 2... in date order."""
    return list(enumerate(items, start=1))


def trajectory_desc(data: dict) -> str:
    point = data["as_of"] or (f"release {data['release']}" if data["release"] else "now")
    return (
        f"{len(data['items'])} stored controls by date (x) and their {DEGREE} under each framing "
        f"(y, from -1 opposed to +1 aligned) as the model stands {point}. Each control is "
        "numbered beside its marks and named in the key below; hover a mark for its reading."
    )


def _mark_label(n: int, item: dict, fid: str) -> str:
    f = item["now"][fid]
    return (
        f"{n}. {item['name']} ({item['date']}): {framing_name(fid)} "
        f"{f[DEGREE]:+.2f}, {word(f['label'])}"
    )


def chart_height(count: int) -> int:
    """The chart's height in px with its key for `count` controls (the page sizes its <img> so)."""
    return HEIGHT + KEY_LINE * (math.ceil(count / 2) + 1)


def trajectory_svg(data: dict) -> str:
    """The chart: date on x (a time axis), DEGREE per framing on y, controls numbered."""
    items = numbered(data["items"])
    height = chart_height(len(items))
    extra = {"range": (-1, 1), "dots_size": 5, "y_title": DEGREE, "stroke": False}
    if items and data["framings"]:  # pygal sets its x adapter only when a series is drawn
        ticks, step = time_axis([parse_day(item["plotted_on"]) for _, item in items])
        extra |= {
            "x_labels": ticks,
            "xrange": (ticks[0], ticks[-1]),
            "x_value_formatter": lambda d: tick_label(d, step),
            "x_labels_major_count": None,
            "show_minor_x_labels": True,
        }
    chart = pygal.DateLine(**config(TITLE, **extra))
    for fid in data["framings"]:
        points = [
            {
                "value": (parse_day(item["plotted_on"]), item["now"][fid][DEGREE]),
                "label": _mark_label(n, item, fid),
            }
            for n, item in items
            if fid in item["now"]
        ]
        chart.add(framing_name(fid), points)
    root = tidy(chart.render(is_unicode=True), TITLE, trajectory_desc(data))
    number_marks(root)
    add_key(root, items, height)
    return serialise(root)


def _free(box: tuple, taken: list) -> bool:
    x, y, w, h = box
    return all(x + w <= a or a + c <= x or y + h <= b or b + d <= y for a, b, c, d in taken)


def number_marks(root: ET.Element) -> None:
    """Write each control's number beside its marks, where it overlaps no other number or mark;
    a mark with no free place nearby keeps only its title (and the key)."""
    marks = []
    for dots in root.iter(f"{q}g"):
        circle = dots.find(f"{q}circle") if dots.get("class") == "dots" else None
        if circle is not None:
            title = circle.findtext(f"{q}title") or ""
            x, y = float(circle.get("cx")), float(circle.get("cy"))
            marks.append((dots, title.split(".", 1)[0], x, y))
    taken = [(x - 5, y - 5, 10, 10) for _, _, x, y in marks]
    said = set()
    for dots, n, x, y in marks:
        if not n.isdigit() or (n, round(x), round(y)) in said:
            continue
        w, h = 7 * len(n), 10
        spots = ((x + 7, y - 5), (x - 7 - w, y - 5), (x - w / 2, y - 17), (x - w / 2, y + 7))
        spot = next(((a, b) for a, b in spots if _free((a, b, w, h), taken)), None)
        if spot is None:
            continue
        taken.append((*spot, w, h))
        said.add((n, round(x), round(y)))
        text = ET.SubElement(dots, f"{q}text", {"x": f"{spot[0]:.1f}", "y": f"{spot[1] + 9:.1f}"})
        text.set("class", "mark-number")
        text.set("font-family", STYLE.font_family)
        text.text = n


def _entry(n: int, item: dict) -> str:
    room = KEY_CHARS - len(f"{n} ({item['date']})")
    name = item["name"] if len(item["name"]) <= room else item["name"][: room - 1] + "…"
    return f" {name} ({item['date']})"


def add_key(root: ET.Element, items: list, height: int) -> None:
    """The key under the plot, in two columns: each number, the control's name and its date."""
    root.set("height", str(height))
    root.set("viewBox", f"0 0 {WIDTH} {height}")
    key = ET.SubElement(root, f"{q}g", {"class": "key", "font-size": "11"})
    key.set("font-family", STYLE.font_family)
    rows = math.ceil(len(items) / 2)
    for i, (n, item) in enumerate(items):
        column, line = divmod(i, rows) if rows else (0, 0)
        x, y = 20 + column * (WIDTH // 2), HEIGHT + KEY_LINE * line + 8
        text = ET.SubElement(key, f"{q}text", {"x": str(x), "y": str(y), "class": "key-entry"})
        ET.SubElement(text, f"{q}title").text = f"{n}. {item['name']} ({item['date']})"
        number = ET.SubElement(text, f"{q}tspan", {"font-weight": "bold"})
        number.text = str(n)
        number.tail = _entry(n, item)


# --- the same data as a page, Markdown and CSV ---


@renderer("trajectory", "html")
def trajectory_page(data: dict, context: dict) -> str:
    """The chart, then a table of the controls by number, with their dates and readings."""
    return render_template("trajectory.html", data=data, items=numbered(data["items"]))


def _trajectory_rows(data: dict) -> list[dict]:
    rows = []
    for item in data["items"]:
        row = {k: item[k] for k in ("date", "id", "name", "status", "instrument", "url")}
        row["targets"] = " ".join(item["targets"])
        row["scored_as_of"] = item["scored_as_of"]
        for when in ("then", "now"):
            for fid, f in item[when].items():
                for key in SUMMARY:
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
        for key in SUMMARY
    ]
    return to_csv(headers, _trajectory_rows(data))


def said(f: dict | None) -> str:
    """One framing's reading of a control: '+0.42 aligned (robust +0.30)'."""
    if f is None:
        return "—"
    return f"{f[DEGREE]:+.2f} {word(f['label'])} (robust {f['robust_' + DEGREE]:+.2f})"


@renderer("trajectory", "md")
def trajectory_md(data: dict, context: dict) -> str:
    headers = ["date", "control", "status"]
    for fid in data["framings"]:
        headers += [f"{framing_name(fid)} on its date", f"{framing_name(fid)} now"]
    rows = []
    for item in data["items"]:
        row = [item["date"], item["name"], word(item["status"])]
        for fid in data["framings"]:
            row += [said(item["then"].get(fid)), said(item["now"].get(fid))]
        rows.append(row)
    return (
        "# The trajectory of US chip controls\n\n"
        + md(trajectory_desc(data))
        + "\n\n"
        + table(headers, rows)
        + "\n"
    )
