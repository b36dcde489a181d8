"""Query arguments: the point in time every read takes, paging, format and per-kind filters."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas import assumption, chip, control, control_resource, watchlist
from schemas.common import SLUG_PATTERN, StrictSchema
from service.timeutil import normalise_instant

MAX_PAGE = 200


class Instant(fields.String):
    """An ISO 8601 date or date-time, normalised to the stored UTC form."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return normalise_instant(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as error:
            raise ValidationError("Must be an ISO 8601 date or date-time.") from error


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


class PageQueryArgsSchema(PointQueryArgsSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=200))


def one_of(values):
    return fields.String(validate=validate.OneOf(values))


def slug():
    return fields.String(validate=validate.Regexp(SLUG_PATTERN))


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
