"""Query arguments: the point in time every read takes, paging, format and per-kind filters."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas import assumption, chip, control, control_resource, watchlist
from schemas.common import SLUG_PATTERN, StrictSchema
from schemas.timeutil import normalise_instant

MAX_PAGE = 200


class Instant(fields.String):
    """An RFC 3339 date-time or a bare date (the end of that day, UTC), in the stored UTC form
    (schemas/timeutil.py parses it, the one parser of times)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return normalise_instant(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as error:
            raise ValidationError(
                "Must be an RFC 3339 date-time with an offset (2025-07-21T12:00:00Z) or a "
                "date (2025-07-21)."
            ) from error


def format_field():
    # Not an enum here: an unsupported format is a 406 from content negotiation, not a 422.
    return fields.String(metadata={"description": "Representation (json); others are a 406."})


class PointQueryArgsSchema(StrictSchema):
    as_of = Instant(metadata={"description": "Read the model as it stood at this instant."})
    release = fields.String(
        validate=validate.Regexp(SLUG_PATTERN),
        metadata={"description": "Read the model as frozen in this named release."},
    )
    format = format_field()

    @validates_schema
    def one_point_in_time(self, data, **kwargs):
        if "as_of" in data and "release" in data:
            raise ValidationError("Give as_of or release, not both.", "release")


class ScoreQueryArgsSchema(PointQueryArgsSchema):
    detail = fields.String(
        validate=validate.OneOf(("full", "summary"), error="Must be one of: {choices}."),
        metadata={
            "description": "full (the default): every criterion, sensitivity and reason. "
            "summary: per framing only impact, score, label, robust_impact, impact_range and "
            "alignment, for "
            "tools that score thousands and read the explanation of a few (JSON only: other "
            "formats always explain in full)."
        },
    )


class PageQueryArgsSchema(PointQueryArgsSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=200))


# Filters take any number of values and match any of them: ?status=a&status=b is "a or b".
# Scalars (limit, cursor, as_of, release, format) given twice are a 422 (StrictSchema).
ANY_OF = "Repeat it to match any of several values."


class AnyOf(fields.List):
    """A filter's values: its errors name the filter, not the position of the bad value."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            messages = error.messages
            if isinstance(messages, dict):
                messages = list(dict.fromkeys(m for ms in messages.values() for m in ms))
            raise ValidationError(messages) from error


def one_of(values):
    return AnyOf(
        fields.String(validate=validate.OneOf(values)),
        metadata={"description": f"One of {', '.join(values)}. {ANY_OF}"},
    )


def slug():
    return AnyOf(
        fields.String(validate=validate.Regexp(SLUG_PATTERN)),
        metadata={"description": f"An id. {ANY_OF}"},
    )


class FramingQueryArgsSchema(PageQueryArgsSchema):
    pass


class AssumptionQueryArgsSchema(PageQueryArgsSchema):
    status = one_of(assumption.STATUSES)
    watchlist = slug()


class WatchlistQueryArgsSchema(PageQueryArgsSchema):
    status = one_of(watchlist.STATUSES)
    category = one_of(watchlist.CATEGORIES)
    origin = one_of(watchlist.ORIGINS)
    assumption = slug()


class ChipQueryArgsSchema(PageQueryArgsSchema):
    origin = one_of(("us", "china"))
    status = one_of(chip.STATUSES)
    us_export_status = one_of(chip.EXPORT_STATUSES)


class TrajectoryQueryArgsSchema(PointQueryArgsSchema):
    """GET /trajectory: the point in time the controls are read (and scored "now") at."""

    status = one_of(control_resource.STATUSES)
    instrument = one_of(control.INSTRUMENTS)
    targets = one_of(control.TARGETS)


class ControlQueryArgsSchema(PageQueryArgsSchema):
    status = one_of(control_resource.STATUSES)
    instrument = one_of(control.INSTRUMENTS)
    direction = one_of(("tighten", "loosen"))


class VersionsQueryArgsSchema(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=200))
    format = format_field()


class FormatQueryArgsSchema(StrictSchema):
    format = format_field()
