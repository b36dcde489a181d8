"""Per-kind summary columns shared by the tabular representations (Markdown tables, CSV)."""

from collections.abc import Callable

Column = tuple[str, Callable[[dict], object]]


def field(path: str) -> Callable[[dict], object]:
    """A getter for a dotted path into a body; lists are joined with '; '."""

    def get(body: dict):
        value = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "; ".join(map(str, value)) if isinstance(value, list) else value

    return get


def expected(framing: str) -> Callable[[dict], object]:
    return lambda body: (body.get("expected", {}).get(framing) or {}).get("sign")


KIND_COLUMNS: dict[str, list[Column]] = {
    "framings": [
        ("title", field("title")),
        ("premise", field("premise")),
        ("objective", field("objective")),
        ("criteria", lambda b: len(b.get("criteria", []))),
    ],
    "assumptions": [
        ("number", field("number")),
        ("title", field("title")),
        ("status", field("assessment.status")),
        ("credence", field("assessment.credence")),
        ("assessed_on", field("assessment.assessed_on")),
    ],
    "watchlist": [
        ("title", field("title")),
        ("category", field("category")),
        ("status", field("status")),
        ("origin", field("origin")),
        ("assumptions", field("assumptions")),
        ("signals", field("signals.framing")),
        ("last_reviewed", field("last_reviewed")),
    ],
    "chips": [
        ("name", field("name")),
        ("vendor", field("vendor")),
        ("origin", field("origin")),
        ("bf16_tflops", field("bf16_tflops")),
        ("tpp", field("tpp")),
        ("performance_density", field("performance_density")),
        ("memory_gb", field("memory_gb")),
        ("memory_bandwidth_tbps", field("memory_bandwidth_tbps")),
        ("die_area_mm2", field("die_area_mm2")),
        ("status", field("status")),
        ("us_export_status", field("us_export_status")),
    ],
    "controls": [
        ("name", field("control.name")),
        ("date", field("date")),
        ("agency", field("agency")),
        ("status", field("status")),
        ("direction", field("control.direction")),
        ("instrument", field("control.instrument")),
        ("layers", field("control.layers")),
        ("reach", field("control.reach")),
        ("expected_sliding_scale", expected("sliding-scale")),
        ("expected_freeze_in_place", expected("freeze-in-place")),
    ],
}
META_COLUMNS = ["kind", "id", "version", "recorded_at", "author", "change_note"]


def summary_row(item: dict) -> dict:
    """One envelope as a flat row: its metadata, then its kind's summary columns."""
    row = {name: item[name] for name in META_COLUMNS}
    body = item.get("body") or {}
    for name, get in KIND_COLUMNS.get(item["kind"], []):
        row[name] = get(body)
    return row


def headers_for(kind: str) -> list[str]:
    return META_COLUMNS + [name for name, _ in KIND_COLUMNS.get(kind, [])]
