"""framings_client: a light client for the Framings API (every read and write), over requests.

    from framings_client import Client
    client = Client("http://localhost:8080", token="fr_...")
    a4 = client.get("assumptions", "a4")            # a Version; a4.etag is '"3"'
    client.edit("assumptions", "a4", {"assessment": {"credence": 0.2}}, "New evidence")

See clients/python/README.md for every operation.
"""

from framings_client.client import Client
from framings_client.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    FramingsError,
    Gone,
    MalformedBody,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    ServerError,
    StaleVersion,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from framings_client.scores import failed
from framings_client.types import Change, Release, Text, Version

__version__ = "0.1.0"
__all__ = [
    "BadRequest",
    "Change",
    "Client",
    "Conflict",
    "Forbidden",
    "FramingsError",
    "Gone",
    "MalformedBody",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "PreconditionRequired",
    "Release",
    "ServerError",
    "StaleVersion",
    "Text",
    "TooManyRequests",
    "Unauthorized",
    "Unavailable",
    "UnsupportedMediaType",
    "ValidationFailed",
    "Version",
    "failed",
]
