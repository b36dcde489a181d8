"""The OpenAPI document's shared parts; each view declares its own contract with `contract`.

flask-smorest derives paths, query arguments, bodies and success schemas from the routes; a
view adds what it cannot see with `@contract(...)`, next to its other decorators (as
bemserver-api and microblog-api do with `@blp.doc` and `@blp.alt_response`):

- an `operationId` that reads well in a generated client (listAssumptions, getControlScore...);
- the request headers the view reads (X-Change-Note, If-Match, Slug, Idempotency-Key,
  If-None-Match), so a generated client can write;
- every error status the view can answer (each application/problem+json, one shared
  component per status) and the headers of its answer (ETag, Last-Modified, Location, Link);
- the formats its answer comes in: `formats="score"` names a shape, and every format
  registered for it (representations/formats.py) is offered, as ?format= and as media types;
- `conditional=True` for a read that carries an ETag and answers If-None-Match with a 304
  (every GET but /health, service/web/preconditions.py).

What stays here is what every operation shares: the problem responses, the header objects and
parameters, path parameters named `id` (the routes' `id_`), and `security: []` on operations
that declare no scheme. tests/api/test_openapi.py, tests/api/test_schemathesis.py and
tests/system/test_openapi_tools.py hold the document to what the server does.
"""

import re
from copy import deepcopy

from apispec import BasePlugin

from schemas.query import MAX_PAGE
from schemas.score import BATCH_LIMIT
from service.kinds import KINDS
from service.ops.limits import DEFAULT_LIMIT, MAX_JSON_DEPTH
from service.representations.formats import FORMATS, formats_of

IDEMPOTENCY_KEY_MAX = 255
LIMITS = (
    "Limits: a request body may be at most 1 MiB (larger is a 413) and nest JSON at most "
    f"{MAX_JSON_DEPTH} levels deep (deeper is a 400); `POST /score/batch` takes at most "
    f"{BATCH_LIMIT:,} controls (more is a 422); list pages hold at most {MAX_PAGE} items "
    f"(`limit`); an `Idempotency-Key` is at most {IDEMPOTENCY_KEY_MAX} characters; each bearer "
    f"token may write {DEFAULT_LIMIT.replace('/', ' times a ')} unless configured otherwise "
    "(more is a 429 with `Retry-After` in seconds). Every error is "
    "`application/problem+json` (RFC 9457)."
)
PROBLEM = "application/problem+json"

# --- building blocks ------------------------------------------------------------------------

STRING = {"type": "string"}
HEADERS = {
    "ETag": {
        "description": "The version's entity tag; send it back in If-Match to write, or in "
        "If-None-Match to revalidate.",
        "schema": STRING,
    },
    "Last-Modified": {"description": "When this version was recorded.", "schema": STRING},
    "Location": {"description": "The URL of the new resource.", "schema": STRING},
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`, when there is one.',
        "schema": STRING,
    },
    "Retry-After": {"description": "Seconds to wait before writing again.", "schema": STRING},
    "WWW-Authenticate": {"description": "The bearer challenge.", "schema": STRING},
}
ERRORS = {
    400: (
        "BadRequest",
        "The body is not well-formed JSON, or nests too deeply; or If-Match is not a list of "
        'quoted entity-tags (`"8"`, not `8`).',
        (),
    ),
    401: ("Unauthorized", "No valid bearer token.", ("WWW-Authenticate",)),
    403: ("Forbidden", "The token lacks the role this needs.", ()),
    404: ("NotFound", "No such resource, version or release.", ()),
    406: ("NotAcceptable", "No representation in the format asked for (?format= or Accept).", ()),
    409: ("Conflict", "It exists already.", ()),
    410: ("Gone", "The resource is deleted; its versions stay readable.", ("ETag",)),
    412: ("PreconditionFailed", "If-Match (or If-None-Match) did not hold.", ("ETag",)),
    413: ("ContentTooLarge", "The body is larger than 1 MiB.", ()),
    415: ("UnsupportedMediaType", "The body is not of the type this takes.", ()),
    422: ("UnprocessableContent", "Fields, query arguments or headers failed validation.", ()),
    428: ("PreconditionRequired", "Writes need If-Match with the ETag they are based on.", ()),
    429: ("TooManyRequests", "This token wrote too often.", ("Retry-After",)),
    501: (
        "NotImplemented",
        "Not offered: an oEmbed format other than JSON, or PNG charts on a server without a "
        "converter.",
        (),
    ),
}


def header_param(name: str, description: str, required: bool = False, **schema) -> dict:
    return {
        "in": "header",
        "name": name,
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }


CHANGE_NOTE = header_param(
    "X-Change-Note",
    "One line saying what changed and why (1-1,000 characters); it becomes part of the version. "
    "Text that is not ASCII is sent UTF-8 encoded.",
    required=True,
    minLength=1,
    maxLength=1000,
)
# `*` or a list of entity-tags, each in double quotes (RFC 9110 8.8.3); `8` unquoted is a 400.
TAG_LIST = r'^[ \t]*(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)[ \t]*$'
IF_MATCH = header_param(
    "If-Match",
    "The ETag of the version this write is based on (from a read), in its double quotes: a "
    "write without it is a 428, one based on an older version a 412, an unquoted tag a 400.",
    required=True,
    pattern=TAG_LIST,
)
IF_NONE_MATCH_WRITE = header_param(
    "If-None-Match",
    "`*`: write only if the resource does not exist (else a 412).",
    pattern=TAG_LIST,
)
IF_NONE_MATCH_READ = header_param(
    "If-None-Match", "ETags the client holds: a 304 when one of them is current."
)
SLUG = header_param(
    "Slug",
    "The new resource's id (RFC 5023); without it, the id is made from its title or name.",
    pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
)
IDEMPOTENCY_KEY = header_param(
    "Idempotency-Key",
    "Any string unique to this create: a repeat with the same key and request gets the first "
    "answer again instead of a 409; with another request, a 422.",
    minLength=1,
    maxLength=IDEMPOTENCY_KEY_MAX,
)


def noun_id(kind_name: str) -> tuple[str, str]:
    """The singular and plural of a kind as they read in an operationId."""
    singular = "".join(part.capitalize() for part in re.split(r"[- ]", KINDS[kind_name].noun))
    singular = singular.replace("WatchListItem", "WatchlistItem")
    return singular, singular + "s"


# Error statuses by what a view does; a view's contract combines them.
NEGOTIATES = (406,)
READS_ONE = (404, 410)
TAKES_QUERY = (422,)
TAKES_JSON = (400, 413, 415, 422)
WRITES = (401, 403, 422, 429)
CONDITIONAL_WRITE = (400, 404, 412, 428)

STRING_BODY = {"schema": {"type": "string"}}
HTML_ONLY = {"text/html": STRING_BODY}
SVG_ONLY = {"image/svg+xml": STRING_BODY}
PNG_ONLY = {"image/png": {"schema": {"type": "string", "format": "binary"}}}
NOT_MODIFIED = {
    "description": "Not modified: the ETag in If-None-Match is current.",
    "headers": {"ETag": HEADERS["ETag"]},
    "content_type": None,  # flask-smorest's record of a response without a body
}
FORMATS_KEY = "x-formats"  # read and removed by OperationsPlugin


def contract(
    operation_id: str,
    summary: str | None = None,
    *,
    errors=(),
    params=(),
    headers=(),
    formats: str | tuple[str, ...] | None = None,
    content: dict | None = None,
    conditional: bool = False,
    public: bool = True,
    ok: int = 200,
    responses: dict | None = None,
):
    """Declare what a view's operation does beyond its schemas (see the module docstring).

    `summary` defaults to the view's docstring; `formats`: a shape whose registered formats
    the answer comes in, or the formats themselves; `content`: the success answer's media
    types when it is not the schema's JSON; `responses`: other answers, by status. Written
    into flask-smorest's own doc records (what `blp.doc`, `blp.alt_response` and
    `blp.arguments` write), with no wrapper around the view, so nothing runs per request.
    """
    if conditional:
        params = (*[p for p in params if p is not IF_NONE_MATCH_READ], IF_NONE_MATCH_READ)
        headers = ("ETag", *[h for h in headers if h != "ETag"])
    manual = {"operationId": operation_id}
    if summary is not None:
        manual["summary"] = summary
    if public:
        manual["security"] = []
    if formats is not None:
        manual[FORMATS_KEY] = formats
    answer = {}
    if content is not None:
        answer["content"] = deepcopy(content)
    if headers:
        answer["headers"] = {name: HEADERS[name] for name in headers}
    extra = {ok: answer} if answer else {}
    extra.update(deepcopy(responses or {}))
    if extra:
        manual["responses"] = extra

    def declare(view):
        doc = view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        doc["manual_doc"] = {**doc.get("manual_doc", {}), **manual}
        if params:
            arguments = doc.setdefault("arguments", {}).setdefault("parameters", [])
            arguments.extend(dict(p) for p in params)
        answers = doc.setdefault("response", {}).setdefault("responses", {})
        if conditional:
            answers[304] = [dict(NOT_MODIFIED)]
        for status in sorted(set(errors)):
            if status not in (responses or {}):
                answers[status] = [ERRORS[status][0]]  # a reference to the shared component
        return view

    return declare


def format_description(names) -> str:
    """What `?format=` switches: each value's media type, and that only `json` is JSON, so a
    client generated from this document (which decodes every 200 as its first media type) is
    told to read the others as text."""
    types = ", ".join(f"`{name}`: {FORMATS[name].media_type}" for name in names)
    return (
        f"The representation, also chosen by Accept ({types}). Only `json` (the default) is "
        "JSON and has the schema below; the others are text. A client generated from this "
        "document decodes the 200 as JSON, so ask it for `json` only and fetch the others as "
        "text with its HTTP client (README: Generated clients)."
    )


def offer_formats(operation: dict, formats) -> None:
    """The ?format= enum and the success answer's media types, from the format registry."""
    shape = formats if isinstance(formats, str) else None
    names = formats_of(shape) if shape else tuple(formats)
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == "format":
            parameter["schema"] = {"type": "string", "enum": list(names)}
            parameter["description"] = format_description(names)
    responses = operation["responses"]
    ok = next((responses[s] for s in ("200", "201") if s in responses), None)
    if shape is None or ok is None or "content" not in ok:
        return
    for name in names[1:]:
        entry = FORMATS[name]
        ok["content"][entry.media_type] = {
            "schema": {"type": "string", "description": entry.description}
        }


def fallback(operation: dict, endpoint: str) -> None:
    """An operation whose view declares no contract yet: a readable operationId from its
    view's name (tests/api/test_openapi.py asks every view for a contract)."""
    words = re.split(r"[_.-]+", endpoint.rsplit(".", 1)[-1])
    operation["operationId"] = words[0] + "".join(w.capitalize() for w in words[1:])
    if "summary" in operation:
        operation["summary"] = operation["summary"].rstrip(".")


class OperationsPlugin(BasePlugin):
    """The shared problem responses; path parameters named `id`, not `id_`; each operation's
    formats offered; `security: []` where a view declared no scheme."""

    def init_spec(self, spec) -> None:
        super().init_spec(spec)
        for name, description, headers in ERRORS.values():
            response = {
                "description": description,
                "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
            if headers:
                response["headers"] = {header: HEADERS[header] for header in headers}
            spec.components.response(name, response)

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or []:
            if parameter.get("in") != "path":
                continue
            if parameter.get("name") == "id_":
                parameter["name"] = "id"
            elif parameter.get("name") == "kind":
                parameter["schema"] = {"type": "string", "enum": list(KINDS)}
        if path is not None:
            return path.replace("{id_}", "{id}")
        return None

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        endpoint = getattr(kwargs.get("rule"), "endpoint", None) or ""
        for operation in (operations or {}).values():
            operation["responses"] = {str(s): a for s, a in operation["responses"].items()}
            formats = operation.pop(FORMATS_KEY, None)
            if formats is not None:
                offer_formats(operation, formats)
            if "operationId" not in operation:
                fallback(operation, endpoint)
            operation.setdefault("security", [])


def spec_kwargs() -> dict:
    return {
        "info": {"description": f"{API_DESCRIPTION}\n\n{LIMITS}"},
        # Relative: the document describes the server that serves it, wherever that is.
        "servers": [{"url": "/", "description": "The server this document came from"}],
        "extra_plugins": [OperationsPlugin()],
    }


API_DESCRIPTION = (
    "A policy-position model of US export controls on AI chips to China: the two framings "
    "(sliding scale and freeze-in-place), the six assumptions under them and a watch-list of "
    "coming measures, as versioned resources, plus scoring of a proposed control against each "
    "framing."
)
