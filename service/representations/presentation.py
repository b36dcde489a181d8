"""How each kind is shown: the columns of its lists, its embed facts, its Markdown sections.

The presentation half of a kind (service/kinds.py holds the domain half: schemas, filters,
nouns); CSV, Markdown, HTML and the embeds read it. A new kind is one Kind there and one
Presentation here. Imports the Markdown section writers and schemas only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from service.representations import markdown_sections as sections
from service.scoring.words import framing_name, word

Column = tuple[str, Callable[[dict], object]]


def field(path: str) -> Callable[[dict], object]:
    """A getter for a dotted path into a body; lists are joined with '; '."""

    def get(body: dict):
        value = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "; ".join(map(str, value)) if isinstance(value, list) else value

    return get


class Estimate(float):
    """A chip figure that is a third-party estimate, not a vendor specification.

    Where a value is shown as text (Markdown tables) it reads as one: `12800 (est.)`. In CSV it
    stays a plain number (csv_render turns it back into a float), and the `estimates` column
    names the estimated fields, so spreadsheets keep numbers and readers keep the mark.
    """

    def __str__(self) -> str:
        return f"{float(self):g} (est.)"


def figure(name: str) -> Callable[[dict], object]:
    """A chip's numeric field, marked as an Estimate when the body lists it in `estimates`."""

    def get(body: dict):
        value = body.get(name)
        if value is None or isinstance(value, bool) or name not in body.get("estimates", []):
            return value
        return Estimate(value)

    return get


def expected(framing: str) -> Callable[[dict], object]:
    return lambda body: (body.get("expected", {}).get(framing) or {}).get("sign")


def signals(body: dict):
    """The framing a watch item would signal, or `transactional_bargaining` (no framing)."""
    signal = body.get("signals") or {}
    if signal.get("level") == "transactional_bargaining":
        return "transactional_bargaining"
    return signal.get("framing")


def signal_words(body: dict):
    """What a watch item would signal, for people: a framing's id, or transactional bargaining."""
    said = signals(body)
    return (
        "transactional bargaining (not a framing)" if said == "transactional_bargaining" else said
    )


@dataclass(frozen=True)
class Presentation:
    """columns: (name, getter) per CSV and Markdown list column; list_columns: (heading, body
    path or getter) per HTML list column; summary: the body path of its one-paragraph summary
    (embeds); facts: (label, body path or getter) of an embed's key facts; sections: its body
    as Markdown sections."""

    columns: tuple[Column, ...] = ()
    list_columns: tuple[tuple[str, object], ...] = ()
    summary: str = ""
    facts: tuple[tuple[str, object], ...] = ()
    sections: Callable[[dict], list[str]] = lambda body: []


PRESENTATIONS: dict[str, Presentation] = {
    "framings": Presentation(
        columns=(
            ("title", field("title")),
            ("premise", field("premise")),
            ("objective", field("objective")),
            ("criteria", lambda b: len(b.get("criteria", []))),
        ),
        list_columns=(("Summary", "summary"),),
        summary="summary",
        facts=(("Premise", "premise"), ("Objective", "objective")),
        sections=sections.framing,
    ),
    "assumptions": Presentation(
        columns=(
            ("number", field("number")),
            ("title", field("title")),
            ("status", field("assessment.status")),
            ("credence", field("assessment.credence")),
            ("assessed_on", field("assessment.assessed_on")),
            ("last_reviewed", field("assessment.last_reviewed")),
        ),
        list_columns=(
            ("Status", "assessment.status"),
            ("Credence", "assessment.credence"),
            ("Assessed", "assessment.assessed_on"),
        ),
        summary="statement",
        facts=(
            ("Status", "assessment.status"),
            ("Credence", "assessment.credence"),
            ("Assessed on", "assessment.assessed_on"),
        ),
        sections=sections.assumption,
    ),
    "watchlist": Presentation(
        columns=(
            ("title", field("title")),
            ("category", field("category")),
            ("status", field("status")),
            ("origin", field("origin")),
            ("assumptions", field("assumptions")),
            ("signals", signals),
            ("last_reviewed", field("last_reviewed")),
        ),
        list_columns=(
            ("Status", "status"),
            ("Category", "category"),
            ("Signals", signal_words),
            ("Last reviewed", "last_reviewed"),
        ),
        summary="description",
        facts=(
            ("Status", "status"),
            ("Category", "category"),
            ("Would signal", signal_words),
            ("Last reviewed", "last_reviewed"),
        ),
        sections=sections.watchlist,
    ),
    "chips": Presentation(
        columns=(
            ("name", field("name")),
            ("vendor", field("vendor")),
            ("origin", field("origin")),
            ("bf16_tflops", figure("bf16_tflops")),
            ("tpp", figure("tpp")),
            ("performance_density", figure("performance_density")),
            ("memory_gb", figure("memory_gb")),
            ("memory_bandwidth_tbps", figure("memory_bandwidth_tbps")),
            ("die_area_mm2", figure("die_area_mm2")),
            ("estimates", field("estimates")),
            ("status", field("status")),
            ("us_export_status", field("us_export_status")),
        ),
        list_columns=(
            ("Vendor", "vendor"),
            ("Origin", "origin"),
            ("TPP", "tpp"),
            ("Memory TB/s", "memory_bandwidth_tbps"),
            ("US export status", "us_export_status"),
        ),
        summary="notes",
        facts=(
            ("Vendor", "vendor"),
            ("Origin", "origin"),
            ("TPP", "tpp"),
            ("Memory bandwidth (TB/s)", "memory_bandwidth_tbps"),
            ("US export status", "us_export_status"),
        ),
        sections=sections.chip,
    ),
    "controls": Presentation(
        columns=(
            ("name", field("control.name")),
            ("date", field("date")),
            ("agency", field("agency")),
            ("status", field("status")),
            ("direction", field("control.direction")),
            ("instrument", field("control.instrument")),
            ("layers", field("control.layers")),
            ("reach", field("control.reach")),
            ("targets", field("control.targets")),
            ("expected_sliding_scale", expected("sliding-scale")),
            ("expected_freeze_in_place", expected("freeze-in-place")),
        ),
        list_columns=(
            ("Date", "date"),
            ("Direction", "control.direction"),
            ("Instrument", "control.instrument"),
            ("Status", "status"),
        ),
        summary="summary",
        facts=(
            ("Date", "date"),
            ("Agency", "agency"),
            ("Status", "status"),
            ("Direction", "control.direction"),
            ("Instrument", "control.instrument"),
        ),
        sections=sections.control,
    ),
}
META_COLUMNS = ["kind", "id", "version", "recorded_at", "author", "change_note"]


def columns_of(kind: str) -> tuple[Column, ...]:
    return PRESENTATIONS[kind].columns if kind in PRESENTATIONS else ()


def summary_row(item: dict) -> dict:
    """One envelope as a flat row: its metadata, then its kind's summary columns."""
    row = {name: item[name] for name in META_COLUMNS}
    body = item.get("body") or {}
    for name, get in columns_of(item["kind"]):
        row[name] = get(body)
    return row


def headers_for(kind: str) -> list[str]:
    return META_COLUMNS + [name for name, _ in columns_of(kind)]


def compare_table(data: dict) -> tuple[list[str], list[list[str]]]:
    """/score/compare as table cells, for every text face: per framing, each control's impact
    and robust impact with its label and its rank among the controls (#1 highest)."""
    framings = list(data["rankings"])
    ranks = {
        (fid, key, entry["index"]): n + 1
        for fid, ranking in data["rankings"].items()
        for key, entries in ranking.items()
        for n, entry in enumerate(entries)
    }
    headers = ["control"] + [
        f"{framing_name(fid)} {what}" for fid in framings for what in ("impact", "robust")
    ]
    rows = []
    for i, answer in enumerate(data["results"]):
        row = [answer["control"]["name"]]
        for fid in framings:
            f = answer["framings"].get(fid)
            for key, label in (("impact", "label"), ("robust_impact", "robust_label")):
                rank = ranks.get((fid, key, i), "?")
                row.append("—" if f is None else f"{f[key]:+.2f} {word(f[label])} (#{rank})")
        rows.append(row)
    return headers, rows
