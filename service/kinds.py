"""The five kinds of versioned resource: the domain facts that differ between them.

One home for each kind's facts: its schemas and filters, its noun, and whether it carries a
control to score. How each is shown (list columns, embed facts, Markdown sections) lives in
service/representations/presentation.py. A new kind is one more Kind here, its schema in
schemas/ and its Presentation there. Imports schemas only; nothing that knows Flask or the store.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

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
    filters: dict[str, tuple[str, str]] = dataclass_field(default_factory=dict)
    description: str = ""
    scored: bool = False  # it holds a control, scored at /<kind>/<id>/score


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
            scored=True,
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
            scored=True,
        ),
    )
}


def what_is_scored(kind: Kind) -> tuple[str, str]:
    """How the documents name a scored kind's score: what is scored, and whose the score is. A
    control is scored itself ("a stored control", "a stored control's"); another kind's resource
    by the control it holds ("the control of a watch-list item", "a watch-list item's")."""
    if kind.noun == "control":
        return f"a stored {kind.noun}", f"a stored {kind.noun}'s"
    return f"the control of {a_noun(kind.noun)}", f"{a_noun(kind.noun)}'s"


def a_noun(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
