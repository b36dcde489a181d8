"""What the OpenAPI document says beyond the schemas: per operation, exactly what the server does.

flask-smorest derives paths, query arguments, bodies and success schemas from the routes; this
module adds what it cannot see, per operation (keyed by the route's Flask endpoint):

- an `operationId` that reads well in a generated client (listAssumptions, getControlScore...);
- the request headers the view reads (X-Change-Note, If-Match, Slug, Idempotency-Key,
  If-None-Match), so a generated client can write;
- every error status the view can answer (each application/problem+json) and the headers of
  each answer (ETag, Last-Modified, Location, Link, Retry-After, WWW-Authenticate);
- the media types each answer really comes in: the text forms registered for its shape (a form
  an answer lacks is a 406, so it is not listed), the feed, the embeds, the badges, the form;
- `security: []` on public operations, and path parameters named `id` (the routes' `id_`).

tests/api/test_openapi.py, tests/api/test_schemathesis.py and
tests/system/test_openapi_tools.py hold the document to what the server does.
"""

import re

from apispec import BasePlugin

from schemas.query import MAX_PAGE
from schemas.score import BATCH_LIMIT
from service.kinds import KINDS, Kind, a_noun, what_is_scored
from service.ops.limits import DEFAULT_LIMIT, MAX_JSON_DEPTH
from service.representations.formats import FORMATS, formats_of
from service.web.routing import per_kind

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
    400: ("BadRequest", "The body is not well-formed JSON, or nests too deeply.", ()),
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
IF_MATCH = header_param(
    "If-Match",
    "The ETag of the version this write is based on (from a read): a write without it is a "
    "428, one based on an older version a 412.",
    required=True,
)
IF_NONE_MATCH_WRITE = header_param(
    "If-None-Match", "`*`: write only if the resource does not exist (else a 412)."
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


# --- what each operation does ---------------------------------------------------------------

# Error statuses by what a view does; combined per operation below.
NEGOTIATES = (406,)
READS_ONE = (404, 410)
TAKES_QUERY = (422,)
TAKES_JSON = (400, 413, 415, 422)
WRITES = (401, 403, 422, 429)
CONDITIONAL_WRITE = (404, 412, 428)


def op(
    operation_id: str,
    summary: str,
    errors=(),
    *,
    params=(),
    ok_headers=(),
    shape: str | None = None,
    content: dict | None = None,
    not_modified: bool | None = None,
    public: bool = True,
    formats: tuple[str, ...] | None = None,
) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "errors": tuple(sorted(set(errors))),
        "params": params,
        "ok_headers": ok_headers,
        "shape": shape,
        "content": content,
        "not_modified": not_modified,
        "public": public,
        "formats": formats,
    }


def kind_operations(name: str) -> dict[tuple[str, str], dict]:
    kind = KINDS[name]
    one, many = noun_id(name)
    noun = kind.noun
    writes = {"public": False, "ok_headers": ("ETag", "Last-Modified")}
    version_read = {  # a version, conditional on If-None-Match
        "params": (IF_NONE_MATCH_READ,),
        "ok_headers": ("ETag", "Last-Modified"),
        "shape": "version",
        "not_modified": True,
    }
    return {
        (f"{name}.list_resources", "get"): op(
            f"list{many}",
            f"List {kind.plural}",
            NEGOTIATES + TAKES_QUERY,
            shape="page",
            ok_headers=("Link",),
        ),
        (f"{name}.read_resource", "get"): op(
            f"get{one}",
            f"Read {a_noun(noun)} (the latest version, or as of a time or release)",
            NEGOTIATES + READS_ONE + TAKES_QUERY,
            **version_read,
        ),
        (f"{name}.list_resource_versions", "get"): op(
            f"list{one}Versions",
            f"List the versions of {a_noun(noun)}, oldest first",
            NEGOTIATES + (404,) + TAKES_QUERY,
            shape="history",
            ok_headers=("Link",),
        ),
        (f"{name}.read_resource_version", "get"): op(
            f"get{one}Version",
            f"Read one version of {a_noun(noun)}",
            NEGOTIATES + (404,) + TAKES_QUERY,
            **version_read,
        ),
        (f"history.diff_{name}", "get"): op(
            f"diff{one}Versions",
            f"Diff two versions of {a_noun(noun)} as a JSON Patch (RFC 6902)",
            NEGOTIATES + (404,) + TAKES_QUERY,
            shape="diff",
        ),
        (f"{name}-writes.create_resource", "post"): op(
            f"create{one}",
            f"Create {a_noun(noun)} (its id from the Slug header, or from its title)",
            WRITES + TAKES_JSON + (409,),
            params=(CHANGE_NOTE, SLUG, IDEMPOTENCY_KEY),
            **{**writes, "ok_headers": ("ETag", "Last-Modified", "Location")},
        ),
        (f"{name}-writes.replace_resource", "put"): op(
            f"replace{one}",
            f"Replace {a_noun(noun)} with a new version (revives a deleted one)",
            WRITES + TAKES_JSON + CONDITIONAL_WRITE,
            params=(CHANGE_NOTE, IF_MATCH, IF_NONE_MATCH_WRITE),
            **writes,
        ),
        (f"{name}-writes.patch_resource", "patch"): op(
            f"update{one}",
            f"Change part of {a_noun(noun)} (JSON Merge Patch, RFC 7396)",
            WRITES + TAKES_JSON + CONDITIONAL_WRITE + (410,),
            params=(CHANGE_NOTE, IF_MATCH),
            **writes,
        ),
        (f"{name}-writes.delete_resource", "delete"): op(
            f"delete{one}",
            f"Delete {a_noun(noun)} (a tombstone version; its history stays)",
            WRITES + CONDITIONAL_WRITE + (410,),
            params=(CHANGE_NOTE, IF_MATCH),
            **writes,
        ),
    }


def scored_operations(kind: Kind) -> dict[tuple[str, str], dict]:
    """The stored score and the badge of a kind whose resources hold a control."""
    one, _ = noun_id(kind.name)
    scored, whose = what_is_scored(kind)
    return {
        (f"score.score_stored_{kind.name}", "get"): op(
            f"get{one}Score",
            f"Score {scored} against each framing",
            NEGOTIATES + READS_ONE + TAKES_QUERY,
            shape="score",
        ),
        (f"embed.{kind.name.rstrip('s')}_badge", "get"): op(
            f"get{one}Badge",
            f"An SVG badge of {whose} score under each framing",
            READS_ONE + TAKES_QUERY,
            params=(IF_NONE_MATCH_READ,),
            ok_headers=("ETag",),
            not_modified=True,
            content={"image/svg+xml": {"schema": {"type": "string"}}},
        ),
    }


HTML_ONLY = {"text/html": {"schema": {"type": "string"}}}
SVG_ONLY = {"image/svg+xml": {"schema": {"type": "string"}}}
OPERATIONS: dict[tuple[str, str], dict] = {
    key: value for name in KINDS for key, value in kind_operations(name).items()
}
for scored in per_kind(scored_operations, scored=True):
    OPERATIONS.update(scored)
OPERATIONS.update(
    {
        ("score.score", "post"): op(
            "scoreControl",
            "Score a proposed control against each framing",
            NEGOTIATES + TAKES_JSON,
            shape="score",
        ),
        ("score.score_batch", "post"): op(
            "scoreBatch",
            f"Score up to {BATCH_LIMIT:,} controls in one request, each answered on its own",
            NEGOTIATES + TAKES_JSON,
            shape="batch",
        ),
        ("score.score_compare", "post"): op(
            "compareControls",
            "Score two to twenty controls side by side, ranked per framing",
            NEGOTIATES + TAKES_JSON,
            shape="compare",
        ),
        ("charts.trajectory_read", "get"): op(
            "getTrajectory",
            "Every stored control scored on its own date and now, by date, per framing",
            NEGOTIATES + TAKES_QUERY,
            shape="trajectory",
        ),
        ("charts.trajectory_chart", "get"): op(
            "getTrajectoryChart",
            "The trajectory as an SVG chart (date on x, alignment per framing on y)",
            TAKES_QUERY,
            content=SVG_ONLY,
        ),
        ("charts.credence_read", "get"): op(
            "getAssumptionCredence",
            "An assumption's credence over time, with its dated evidence and status changes",
            NEGOTIATES + READS_ONE + TAKES_QUERY,
            shape="credence",
        ),
        ("charts.credence_chart", "get"): op(
            "getAssumptionCredenceChart",
            "An assumption's credence history as an SVG step chart",
            READS_ONE + TAKES_QUERY,
            content=SVG_ONLY,
        ),
        ("releases.list_releases", "get"): op(
            "listReleases",
            "List releases by name",
            NEGOTIATES + TAKES_QUERY,
            shape="releases",
            ok_headers=("Link",),
        ),
        ("releases.read_release", "get"): op(
            "getRelease",
            "Read a release with its manifest of kind/id to version",
            NEGOTIATES + (404,) + TAKES_QUERY,
            shape="release",
        ),
        ("releases.read_release_snapshot", "get"): op(
            "getReleaseSnapshot",
            "Download a release as one immutable SQLite file (what read replicas serve)",
            (404, 412),
            params=(IF_NONE_MATCH_READ,),
            ok_headers=("ETag", "Last-Modified"),
            not_modified=True,
        ),
        ("releases.create_release", "post"): op(
            "createRelease",
            "Freeze the live model under a new release name (admin role)",
            WRITES + TAKES_JSON + (409,),
            ok_headers=("Location",),
            public=False,
        ),
        ("history.changes", "get"): op(
            "listChanges",
            "List every change after `since`, oldest first",
            NEGOTIATES + TAKES_QUERY,
            shape="changes",
            ok_headers=("Link",),
        ),
        ("history.changes_atom", "get"): op(
            "getChangesFeed",
            "The change feed as Atom 1.0",
            TAKES_QUERY,
            content={"application/atom+xml": {"schema": {"type": "string"}}},
        ),
        ("html.score_form", "get"): op(
            "getScoreForm",
            "An HTML form that scores a control against each framing",
            TAKES_QUERY,
            content=HTML_ONLY,
        ),
        ("html.score_form_submit", "post"): op(
            "submitScoreForm",
            "Score the control a submitted HTML form describes",
            (413, 422),
            content=HTML_ONLY,
        ),
        ("embed.embed", "get"): op(
            "getEmbed",
            "A self-contained HTML page of one resource for a wiki's iframe (or its Markdown)",
            NEGOTIATES + READS_ONE + TAKES_QUERY,
            params=(IF_NONE_MATCH_READ,),
            ok_headers=("ETag", "Last-Modified"),
            not_modified=True,
            formats=("html", "md"),
            content={
                "text/html": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
            },
        ),
        ("review.review", "get"): op(
            "listDueForReview",
            "List what is due for review, oldest review first",
            NEGOTIATES + TAKES_QUERY,
            shape="review",
        ),
        ("meta.index", "get"): op(
            "getIndex",
            "Index of the API with links to every collection",
            NEGOTIATES + TAKES_QUERY,
            shape="index",
        ),
        ("meta.health", "get"): op(
            "getHealth",
            "Liveness and the model's latest change sequence number",
            not_modified=False,
        ),
        ("meta.problem_type", "get"): op(
            "getProblemType", "Explain one problem type used in error answers", (404,)
        ),
    }
)


def response_ref(status: int) -> dict:
    return {"$ref": f"#/components/responses/{ERRORS[status][0]}"}


def rename_path_parameters(path: str) -> str:
    return path.replace("{id_}", "{id}")


def operation_is_post(operation: dict) -> bool:
    return "requestBody" in operation


def describe(operation: dict, spec: dict, method: str) -> None:
    """Add what `spec` (an OPERATIONS entry) says to one operation of the document.

    Every read but /health carries an ETag and answers If-None-Match with a 304, unless its
    entry says otherwise (service/web/preconditions.py).
    """
    not_modified = spec["not_modified"]
    if not_modified is None:
        not_modified = method == "get"
    if not_modified:
        spec = {
            **spec,
            "params": (
                *[p for p in spec["params"] if p is not IF_NONE_MATCH_READ],
                IF_NONE_MATCH_READ,
            ),
            "ok_headers": ("ETag", *[h for h in spec["ok_headers"] if h != "ETag"]),
        }
    for key in ("operationId", "summary"):
        operation[key] = spec[key]
    operation.setdefault("security", [])  # public unless the view declared its scheme
    if spec["public"]:
        operation["security"] = []
    parameters = operation.setdefault("parameters", [])
    formats = spec["formats"] or (formats_of(spec["shape"]) if spec["shape"] else None)
    for parameter in parameters:
        if parameter.get("in") == "query" and parameter.get("name") == "format" and formats:
            parameter["schema"] = {"type": "string", "enum": list(formats)}
            parameter["description"] = "The representation (also chosen by Accept)."
    parameters.extend(dict(p) for p in spec["params"])
    if not parameters:
        del operation["parameters"]
    responses = {str(status): answer for status, answer in operation["responses"].items()}
    operation["responses"] = responses
    ok_status = next((s for s in ("200", "201") if s in responses), None)
    if ok_status is not None:
        ok = responses[ok_status]
        if spec["content"] is not None:
            ok["content"] = dict(spec["content"])
        elif spec["shape"] is not None and "content" in ok:
            for fmt in formats_of(spec["shape"])[1:]:
                entry = FORMATS[fmt]
                ok["content"][entry.media_type] = {
                    "schema": {"type": "string", "description": entry.description}
                }
        if spec["ok_headers"]:
            ok["headers"] = {name: HEADERS[name] for name in spec["ok_headers"]}
    responses.pop("304", None)
    if not_modified:
        responses["304"] = {
            "description": "Not modified: the ETag in If-None-Match is current.",
            "headers": {"ETag": HEADERS["ETag"]},
        }
    for status in spec["errors"]:
        if status == 422 and spec["content"] is HTML_ONLY and operation_is_post(operation):
            responses["422"] = {
                "description": "The form again, filled in, with each field's messages.",
                "content": dict(HTML_ONLY),
            }
            continue
        responses[str(status)] = response_ref(status)


def fallback(operation: dict, endpoint: str, method: str) -> None:
    """An operation OPERATIONS does not describe yet: a readable operationId from its view's
    name, public unless it declared a scheme (tests/api/test_openapi.py asks for an entry)."""
    words = re.split(r"[_.-]+", endpoint.rsplit(".", 1)[-1])
    operation["operationId"] = words[0] + "".join(w.capitalize() for w in words[1:])
    operation.setdefault("security", [])
    if "summary" in operation:
        operation["summary"] = operation["summary"].rstrip(".")


class OperationsPlugin(BasePlugin):
    """Each operation as OPERATIONS describes it; path parameters named `id`, not `id_`."""

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
            return rename_path_parameters(path)
        return None

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            endpoint = getattr(rule, "endpoint", None) or ""
            spec = OPERATIONS.get((endpoint, method))
            if spec is not None:
                describe(operation, spec, method)
            else:
                fallback(operation, endpoint, method)


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
