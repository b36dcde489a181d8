"""The five kinds of versioned resource, and what differs between them: schema and filters."""

from dataclasses import dataclass, field

from marshmallow import Schema

from schemas import query
from schemas.assumption import AssumptionSchema
from schemas.chip import ChipSchema
from schemas.control_resource import ControlResourceSchema
from schemas.framing import FramingSchema
from schemas.watchlist import WatchlistItemSchema


@dataclass(frozen=True)
class Kind:
    name: str  # the URL segment and the stored kind
    noun: str
    plural: str
    body_schema: type[Schema]
    query_schema: type[Schema]
    # query argument -> (JSON path in the body, "eq" or "contains")
    filters: dict[str, tuple[str, str]] = field(default_factory=dict)
    description: str = ""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "framings",
            "framing",
            "framings",
            FramingSchema,
            query.FramingQueryArgsSchema,
            description="The two framings of chip controls and the criteria they score by.",
        ),
        Kind(
            "assumptions",
            "assumption",
            "assumptions",
            AssumptionSchema,
            query.AssumptionQueryArgsSchema,
            {"status": ("$.assessment.status", "eq"), "watchlist": ("$.watchlist", "contains")},
            "The six assumptions under the sliding-scale logic, each with a dated assessment.",
        ),
        Kind(
            "watchlist",
            "watch-list item",
            "watch-list items",
            WatchlistItemSchema,
            query.WatchlistQueryArgsSchema,
            {
                "status": ("$.status", "eq"),
                "category": ("$.category", "eq"),
                "origin": ("$.origin", "eq"),
                "assumption": ("$.assumptions", "contains"),
            },
            "Measures and events still to come, and which framing each would signal.",
        ),
        Kind(
            "chips",
            "chip",
            "chips",
            ChipSchema,
            query.ChipQueryArgsSchema,
            {
                "origin": ("$.origin", "eq"),
                "status": ("$.status", "eq"),
                "us_export_status": ("$.us_export_status", "eq"),
            },
            "The chip figures that foreign availability is judged on.",
        ),
        Kind(
            "controls",
            "control",
            "controls",
            ControlResourceSchema,
            query.ControlQueryArgsSchema,
            {
                "status": ("$.status", "eq"),
                "instrument": ("$.control.instrument", "eq"),
                "direction": ("$.control.direction", "eq"),
            },
            "Real measures, past and pending, that anyone can score.",
        ),
    )
}
