"""Query parsing shared by blueprints: webargs, minus its machinery where nothing is sent."""

from flask import request
from marshmallow import RAISE, Schema, ValidationError


class EmptyQueryFastPath:
    """A webargs parser mixin: an empty query string is loaded straight through the schema.

    The schema's load of an empty mapping is exactly what webargs would load from the empty
    query; its location and proxy machinery cost a few percent of a read or a score. Anything
    else, a failed load included (to be reported as usual), goes the usual way.
    """

    def parse(self, argmap, req=None, **kwargs):
        if (
            kwargs.get("location") == "query"
            and kwargs.get("unknown") == RAISE
            and kwargs.get("validate") is None
            and isinstance(argmap, Schema)
            and not (req or request).query_string
        ):
            try:
                return argmap.load({}, unknown=RAISE)
            except ValidationError:
                pass
        return super().parse(argmap, req, **kwargs)
