"""CSV for every list: one row per item, stable columns per kind."""

import csv
import io

from service.representations.formats import register_format, renderer
from service.representations.presentation import META_COLUMNS, Estimate, headers_for, summary_row

register_format("csv", "text/csv", description="A table (?format=csv or Accept: text/csv)")
CHANGE_COLUMNS = ["seq", "kind", "id", "version", "recorded_at", "author", "change_note", "deleted"]
RELEASE_COLUMNS = ["name", "created_at", "author", "description", "seq"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would run as a formula is quoted (OWASP CSV injection); numbers stay."""
    if value is None:
        return ""
    if isinstance(value, Estimate):  # a number in CSV; the `estimates` column marks it
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(headers: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in headers})
    return out.getvalue()


@renderer("page", "csv")
def page_csv(data: dict, context: dict) -> str:
    """A list of resources: metadata columns, then the kind's summary columns."""
    kind = context["kind"].name
    return to_csv(headers_for(kind), [summary_row(item) for item in data["items"]])


@renderer("history", "csv")
def history_csv(data: dict, context: dict) -> str:
    return to_csv(META_COLUMNS + ["deleted"], data["items"])


@renderer("changes", "csv")
def changes_csv(data: dict, context: dict) -> str:
    return to_csv(CHANGE_COLUMNS, data["items"])


@renderer("releases", "csv")
def releases_csv(data: dict, context: dict) -> str:
    return to_csv(RELEASE_COLUMNS, data["items"])
