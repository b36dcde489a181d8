"""One error shape everywhere: RFC 9457 problem details, with every offending field named."""

import json
import logging
from urllib.parse import quote

from flask import Flask, Response, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from schemas.problem import ProblemSchema
from service import store

PROBLEM_TYPE = "application/problem+json"
DISK_FULL_RETRY_AFTER = 60  # seconds: long enough for an operator or a cleanup to free space
log = logging.getLogger(__name__)

# Problem types we define, served at /problems/<slug> so a `type` URI explains itself.
PROBLEM_TYPES = {
    "validation": "The request had fields, query arguments or headers that failed validation; "
    "`errors` maps each offending field to its messages.",
    "stale-version": "The If-Match header named a version that is no longer the latest: re-read "
    "the resource, re-apply your change and retry with the new ETag.",
    "precondition-required": "Writes must carry If-Match with the ETag they were based on, so "
    "that two writers can never overwrite each other (or, for a PUT that may only create, "
    "If-None-Match: *).",
    "precondition-failed": "A precondition did not hold (RFC 9110 13.2): If-Match: * on a "
    "deleted resource, If-None-Match: * on one that exists, an If-Match a read's "
    "representation does not carry (tags compare strongly, as exact strings), or "
    "If-Unmodified-Since. The answer's ETag names the current state.",
    "gone": "The resource was deleted; its versions stay readable under /versions.",
    "not-acceptable": "The resource has no representation in the requested format.",
    "unsupported-media-type": "The body was not in the type this operation takes: POST and PUT "
    "take application/json, PATCH application/merge-patch+json, in UTF-8. The answer's "
    "Accept (and, for PATCH, Accept-Patch) header names it.",
    "malformed-body": "The body could not be read as what its Content-Type says: not UTF-8, not "
    "JSON, or a chunked transfer coding that is malformed; `errors` says where.",
}


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """{"json": {"layers": {"0": ["bad"]}}} -> {"layers.0": ["bad"]}: one key per field."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_": list(messages)}
        for item in messages:
            for key, value in flatten_errors(item, prefix).items():
                flat.setdefault(key, []).extend(value)
        return flat
    if not isinstance(messages, dict):
        return {prefix or "_": [str(messages)]}
    for key, value in messages.items():
        path = str(key) if key not in ("json", "_schema") else ""
        if key == "_schema":
            path = prefix
        else:
            path = f"{prefix}.{path}" if prefix and path else (prefix or path)
        for field, errors in flatten_errors(value, path).items():
            flat.setdefault(field, []).extend(errors)
    return flat


# Characters a URI's path (and, with "?", its query) may hold as they are (RFC 3986 3.3, 3.4).
PATH_SAFE = "/:@!$&'()*+,;=~"
QUERY_SAFE = PATH_SAFE + "?%"


def wsgi_bytes(text: str) -> bytes:
    """The bytes a WSGI string stands for (PEP 3333 hands them over as Latin-1 text)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # a test client's real text
        return text.encode("utf-8", "surrogatepass")


def request_target() -> str:
    """This request's path and query as a URI reference (RFC 9457 3.1.5: `instance`).

    The path arrives percent-decoded and may hold any bytes (invalid UTF-8 too), so it is
    encoded again, `%` included; the query arrives as sent, so only what may not stand in a
    URI is encoded.
    """
    environ = request.environ
    path = quote(
        wsgi_bytes(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")), safe=PATH_SAFE
    )
    query = quote(wsgi_bytes(environ.get("QUERY_STRING", "")), safe=QUERY_SAFE)
    return f"{path}?{query}" if query else path


def problem(
    status: int,
    title: str,
    detail: str = "",
    *,
    type_: str | None = None,
    errors=None,
    headers=None,
) -> Response:
    """Build an application/problem+json response."""
    body = {
        "type": f"/problems/{type_}" if type_ else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if request:
        body["instance"] = request_target()
    if errors:
        body["errors"] = flatten_errors(errors)
        if status == 422 and detail == title:
            body["detail"] = "Invalid: " + ", ".join(body["errors"]) + "."
    response = Response(json.dumps(body, ensure_ascii=False), status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Document error answers as what they are: problem+json, not application/json."""
        super()._register_responses()
        for response in self.spec.components.responses_lazy.values():
            if "content" in response:
                response["content"] = {PROBLEM_TYPE: response["content"].pop("application/json")}

    def handle_http_exception(self, error: HTTPException):
        """Render any HTTPException (webargs 422s included) as a problem."""
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        headers.update(data.get("headers") or {})
        type_ = data.get("type") or ("validation" if errors else None)
        if isinstance(error, InternalServerError):
            log.error("unhandled error", exc_info=getattr(error, "original_exception", None))
            detail = "The server failed to answer; the error was logged."
        elif errors and "message" not in data:
            detail = error.name  # replaced by the list of offending fields in problem()
        else:
            detail = data.get("message") or error.description or error.name
        return problem(error.code, error.name, detail, type_=type_, errors=errors, headers=headers)


# The HTML form's POST answers a bad form as the form again (HTML, 422): a browser shows it.
FORM_ENDPOINTS = frozenset({"html.score_form_submit"})


def as_problem(response: Response) -> Response:
    """An error answered by something other than our handlers, as a problem, in place.

    Werkzeug's conditional file answers (send_file, for /releases/<name>/snapshot and
    /docs/assets/*) give a 412 or 416 whose body is the whole file, in the file's type; the
    status and headers (ETag, Content-Range) stay, the body becomes problem+json.
    """
    if response.status_code < 400 or response.mimetype == PROBLEM_TYPE:
        return response
    if request.endpoint in FORM_ENDPOINTS:
        return response
    status = response.status_code
    error = default_exceptions.get(status)
    title = error().name if error else "Error"
    detail = error.description if error else ""
    answer = problem(status, title, detail or title)
    body = response.response
    if hasattr(body, "close"):
        body.close()  # the file send_file opened
    response.direct_passthrough = False
    response.set_data(answer.get_data())
    response.mimetype = PROBLEM_TYPE
    for name in ("Content-Disposition", "Content-Encoding", "Accept-Ranges"):
        response.headers.pop(name, None)
    return response


def register_fallback(app: Flask) -> None:
    """Anything that is not an HTTPException still leaves as a problem, never a traceback;
    and every error, whoever made it, is application/problem+json (as_problem)."""
    app.after_request(as_problem)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if store.out_of_space(error):
            log.error("a write failed: the disk is full", exc_info=error)
            return problem(
                507,
                "Insufficient Storage",
                "The server's disk is full, so nothing was written; reads still work. Send the "
                "same request again later.",
                headers={"Retry-After": str(DISK_FULL_RETRY_AFTER)},
            )
        log.error("unhandled error", exc_info=error)
        return problem(
            500, "Internal Server Error", "The server failed to answer; the error was logged."
        )
