"""What the blueprints share per request: the database connection, the point in time a read
asks for and the version visible there, the scoring model at that point, the one problem shape
(errors), HTTP helpers (envelopes, ETags, cursors), preconditions, auth, review dates and the
OpenAPI additions. May import schemas, kinds, scoring, store, ops and representations; never
service.api.
"""
